ALTER TABLE delegates DROP COLUMN absence_reason;
