-- Issue 15.3: 述职评议, a third kind of contest.
ALTER TABLE contests DROP CONSTRAINT contests_kind_check;
ALTER TABLE contests ADD CONSTRAINT contests_kind_check
    CHECK (kind IN ('election', 'motion', 'review'));
-- Its definition (persons under review, dimensions, grades, how many grades are favourable)
-- is one JSON document per contest (`domain::review::ReviewDefinition`), edited while the
-- contest is a draft; the follow-up threshold is the contest's `threshold` like any other's.
CREATE TABLE contest_reviews (
    contest_id TEXT PRIMARY KEY NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    definition TEXT NOT NULL
);
