ALTER TABLE contests DROP COLUMN threshold_reason;
ALTER TABLE contests DROP COLUMN election_kind;
