-- Issue 12.7: an approval or filing is corrected by a further signed addendum of the same
-- kind (seq 2, 3, ...), never by editing; so (congress, kind) is no longer unique.
CREATE TABLE addenda_new (
    id TEXT PRIMARY KEY NOT NULL,
    congress_id TEXT NOT NULL REFERENCES congresses(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('approval', 'filing')),
    body_json TEXT NOT NULL,
    sig TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    seq INTEGER NOT NULL DEFAULT 1,
    UNIQUE (congress_id, kind, seq)
);
INSERT INTO addenda_new (id, congress_id, kind, body_json, sig, created_at, seq)
    SELECT id, congress_id, kind, body_json, sig, created_at, 1 FROM addenda;
DROP TABLE addenda;
ALTER TABLE addenda_new RENAME TO addenda;
