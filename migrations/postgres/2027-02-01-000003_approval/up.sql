-- Issue 16: the candidate list's approval and public notice (公示) before a presidium
-- election (rules C5-C7) and the applications to the upper 学联 (G4). See docs/rules.md and
-- docs/formats.md ("Approval steps").

-- What the public notice shows of a candidate beyond the candidate row: 年级, 学生会职务, 简介.
CREATE TABLE candidate_notes (
    candidate_id TEXT PRIMARY KEY NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    grade TEXT NOT NULL,
    union_post TEXT NOT NULL,
    profile TEXT NOT NULL
);

-- Every step, a signed addendum stored exactly as signed: per contest 党委批准, 请示上级学联,
-- 公示, an override of the notice's end, an objection's handling; per congress the
-- applications (召开, 章程), their replies and an override of the reply. `seq` numbers the
-- congress's steps in the order recorded.
CREATE TABLE approval_steps (
    id TEXT PRIMARY KEY NOT NULL,
    congress_id TEXT NOT NULL REFERENCES congresses(id) ON DELETE CASCADE,
    contest_id TEXT REFERENCES contests(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    seq INTEGER NOT NULL,
    body_json TEXT NOT NULL,
    sig TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (congress_id, seq)
);
CREATE INDEX approval_steps_contest ON approval_steps (contest_id);

-- Objections (异议) anyone submits on the public notice page. The contact details are shown
-- only to the organiser; the handling is also signed as an approval step.
CREATE TABLE objections (
    id TEXT PRIMARY KEY NOT NULL,
    congress_id TEXT NOT NULL REFERENCES congresses(id) ON DELETE CASCADE,
    contest_id TEXT NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    candidate_id TEXT NOT NULL,
    candidate_name TEXT NOT NULL,
    body TEXT NOT NULL,
    name TEXT NOT NULL,
    contact TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    handling TEXT,
    handled_at BIGINT,
    handled_by TEXT
);
CREATE INDEX objections_congress ON objections (congress_id);
