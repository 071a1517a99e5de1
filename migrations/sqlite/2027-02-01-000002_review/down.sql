PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
DROP TABLE contest_reviews;
DELETE FROM contests WHERE kind = 'review';
CREATE TABLE contests_new (
    id TEXT PRIMARY KEY NOT NULL,
    congress_id TEXT NOT NULL REFERENCES congresses(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('election', 'motion')),
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
INSERT INTO contests_new SELECT * FROM contests;
DROP TABLE contests;
ALTER TABLE contests_new RENAME TO contests;
CREATE INDEX contests_congress ON contests (congress_id, agenda_order);
COMMIT;
PRAGMA foreign_keys = ON;
