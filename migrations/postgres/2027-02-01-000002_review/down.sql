DROP TABLE contest_reviews;
DELETE FROM contests WHERE kind = 'review';
ALTER TABLE contests DROP CONSTRAINT contests_kind_check;
ALTER TABLE contests ADD CONSTRAINT contests_kind_check CHECK (kind IN ('election', 'motion'));
