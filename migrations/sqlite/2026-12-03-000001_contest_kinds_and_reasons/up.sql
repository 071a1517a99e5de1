-- Issue 12: an election's kind (主席团 / 委员会 / 常任代表 / 其他; rule C1 caps the presidium
-- only) and the organiser's reason for a threshold that differs from the rules' default.
ALTER TABLE contests ADD COLUMN election_kind TEXT;
ALTER TABLE contests ADD COLUMN threshold_reason TEXT;
