ALTER TABLE contests DROP COLUMN not_held_reason;
