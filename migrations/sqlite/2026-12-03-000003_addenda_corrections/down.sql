CREATE TABLE addenda_old (
    id TEXT PRIMARY KEY NOT NULL,
    congress_id TEXT NOT NULL REFERENCES congresses(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('approval', 'filing')),
    body_json TEXT NOT NULL,
    sig TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (congress_id, kind)
);
INSERT INTO addenda_old (id, congress_id, kind, body_json, sig, created_at)
    SELECT id, congress_id, kind, body_json, sig, created_at FROM addenda WHERE seq = 1;
DROP TABLE addenda;
ALTER TABLE addenda_old RENAME TO addenda;
