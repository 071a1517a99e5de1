-- Issue 15.3: 述职评议, a third kind of contest. `contests.kind` may now be 'review': SQLite
-- cannot change a CHECK constraint, so `contests` is rebuilt (the documented 12-step
-- procedure: foreign keys off, copy, drop, rename, indexes, foreign_key_check).
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE contests_new (
    id TEXT PRIMARY KEY NOT NULL,
    congress_id TEXT NOT NULL REFERENCES congresses(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('election', 'motion', 'review')),
    motion_kind TEXT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    agenda_order INTEGER NOT NULL,
    seats INTEGER,
    allow_write_in BOOLEAN NOT NULL DEFAULT 0,
    threshold TEXT NOT NULL,
    margin_override TEXT,
    parent_id TEXT REFERENCES contests(id),
    round_kind TEXT,
    state TEXT NOT NULL,
    issued INTEGER,
    expected INTEGER,
    paper_issued INTEGER NOT NULL DEFAULT 0,
    opened_at BIGINT,
    closed_at BIGINT,
    cast_count INTEGER,
    merkle_root TEXT,
    result TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    election_kind TEXT,
    threshold_reason TEXT,
    not_held_reason TEXT
);
INSERT INTO contests_new (id, congress_id, kind, motion_kind, title, body, agenda_order, seats,
        allow_write_in, threshold, margin_override, parent_id, round_kind, state, issued,
        expected, paper_issued, opened_at, closed_at, cast_count, merkle_root, result,
        created_at, updated_at, election_kind, threshold_reason, not_held_reason)
    SELECT id, congress_id, kind, motion_kind, title, body, agenda_order, seats,
        allow_write_in, threshold, margin_override, parent_id, round_kind, state, issued,
        expected, paper_issued, opened_at, closed_at, cast_count, merkle_root, result,
        created_at, updated_at, election_kind, threshold_reason, not_held_reason FROM contests;
DROP TABLE contests;
ALTER TABLE contests_new RENAME TO contests;
CREATE INDEX contests_congress ON contests (congress_id, agenda_order);

-- Its definition (persons under review, dimensions, grades, how many grades are favourable)
-- is one JSON document per contest (`domain::review::ReviewDefinition`), edited while the
-- contest is a draft; the follow-up threshold is the contest's `threshold` like any other's.
CREATE TABLE contest_reviews (
    contest_id TEXT PRIMARY KEY NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    definition TEXT NOT NULL
);
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
