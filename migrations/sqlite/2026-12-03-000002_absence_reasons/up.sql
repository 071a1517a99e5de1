-- Issue 12.4: the reason of an approved absence (请假, rule D1).
ALTER TABLE delegates ADD COLUMN absence_reason TEXT;
