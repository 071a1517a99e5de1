-- Issue 12.6: the organiser's reason for not holding a proposed 再次投票 / 另行选举 (F2, F3).
ALTER TABLE contests ADD COLUMN not_held_reason TEXT;
