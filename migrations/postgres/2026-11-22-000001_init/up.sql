-- The whole congress lifecycle. Times are Unix milliseconds (BIGINT); ids are text generated
-- by the application (random, so app servers need no shared sequence).
-- Secrecy (rule E1, docs/threat-model.md): `roll` says who took a ballot paper (领票), never
-- how they voted; `ballots` holds each ballot under its paper's random token, with no delegate,
-- no time and no rowid (WITHOUT ROWID on SQLite). A roll entry and a ballot are never written
-- in the same transaction: the paper is issued with a blind signature, and the ballot comes
-- back to an anonymous ballot box with the unblinded signature.

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('organiser', 'scrutineer')),
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

-- Failed logins (organiser passwords, delegate tokens and codes), for throttling.
CREATE TABLE throttle_events (
    id TEXT PRIMARY KEY NOT NULL,
    bucket TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX throttle_events_bucket_at ON throttle_events (bucket, at);

CREATE TABLE congresses (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    school TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('school', 'college')),
    session_no INTEGER NOT NULL,
    date TEXT NOT NULL,
    place TEXT NOT NULL,
    owner_id TEXT NOT NULL REFERENCES users(id),
    state TEXT NOT NULL,
    settings TEXT NOT NULL,
    public_key_pem TEXT,
    key_fingerprint TEXT,
    roster_report TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE enrolment (
    congress_id TEXT NOT NULL REFERENCES congresses(id) ON DELETE CASCADE,
    college TEXT NOT NULL,
    grade TEXT NOT NULL,
    students BIGINT NOT NULL,
    row_no INTEGER NOT NULL,
    PRIMARY KEY (congress_id, college, grade)
);

CREATE TABLE societies (
    congress_id TEXT NOT NULL REFERENCES congresses(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    main BOOLEAN NOT NULL,
    row_no INTEGER NOT NULL,
    PRIMARY KEY (congress_id, name)
);

CREATE TABLE nominees (
    congress_id TEXT NOT NULL REFERENCES congresses(id) ON DELETE CASCADE,
    student_no TEXT NOT NULL,
    name TEXT NOT NULL,
    college TEXT NOT NULL,
    grade TEXT NOT NULL,
    gender TEXT NOT NULL,
    union_role TEXT,
    political_status TEXT,
    societies TEXT NOT NULL,
    votes BIGINT NOT NULL,
    row_no INTEGER NOT NULL,
    PRIMARY KEY (congress_id, student_no)
);

CREATE TABLE delegates (
    id TEXT PRIMARY KEY NOT NULL,
    congress_id TEXT NOT NULL REFERENCES congresses(id) ON DELETE CASCADE,
    delegate_no INTEGER NOT NULL,
    student_no TEXT NOT NULL,
    name TEXT NOT NULL,
    college TEXT NOT NULL,
    grade TEXT NOT NULL,
    gender TEXT NOT NULL,
    union_role TEXT,
    political_status TEXT,
    societies TEXT NOT NULL,
    kind TEXT NOT NULL,
    token_hash TEXT UNIQUE,
    code_hash TEXT UNIQUE,
    token_issued_at BIGINT,
    session_epoch BIGINT NOT NULL DEFAULT 0,
    present BOOLEAN NOT NULL DEFAULT FALSE,
    checked_in_at BIGINT,
    absence_approved BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (congress_id, student_no),
    UNIQUE (congress_id, delegate_no)
);

CREATE TABLE scrutineers (
    id TEXT PRIMARY KEY NOT NULL,
    congress_id TEXT NOT NULL REFERENCES congresses(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('chief', 'scrutineer', 'counter')),
    name TEXT NOT NULL,
    student_no TEXT,
    user_id TEXT REFERENCES users(id),
    position INTEGER NOT NULL
);

CREATE TABLE contests (
    id TEXT PRIMARY KEY NOT NULL,
    congress_id TEXT NOT NULL REFERENCES congresses(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('election', 'motion')),
    motion_kind TEXT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    agenda_order INTEGER NOT NULL,
    seats INTEGER,
    allow_write_in BOOLEAN NOT NULL DEFAULT FALSE,
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
    updated_at BIGINT NOT NULL
);
CREATE INDEX contests_congress ON contests (congress_id, agenda_order);

CREATE TABLE candidates (
    id TEXT PRIMARY KEY NOT NULL,
    contest_id TEXT NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    student_no TEXT NOT NULL,
    college TEXT NOT NULL,
    gender TEXT,
    political_status TEXT NOT NULL,
    rank_pct INTEGER,
    failed_courses INTEGER NOT NULL DEFAULT 0,
    eligibility_override TEXT,
    organiser_order INTEGER NOT NULL,
    ballot_order INTEGER NOT NULL,
    UNIQUE (contest_id, student_no)
);

-- Delegates entitled to vote in a contest: those present when it opened (rule D2).
CREATE TABLE contest_voters (
    contest_id TEXT NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    delegate_id TEXT NOT NULL REFERENCES delegates(id),
    PRIMARY KEY (contest_id, delegate_id)
);

-- Who took a ballot paper (领票) in a contest, and how: `phone` (a blind signature was
-- issued: the hash of the blinded message and the blind signature are kept, so that the same
-- request gets the same answer; neither says anything about the token) or `paper` (handed a
-- paper ballot by the scrutineers). Never how anyone voted.
CREATE TABLE roll (
    contest_id TEXT NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    delegate_id TEXT NOT NULL REFERENCES delegates(id),
    kind TEXT NOT NULL CHECK (kind IN ('phone', 'paper')),
    blinded_sha256 TEXT,
    blind_sig TEXT,
    PRIMARY KEY (contest_id, delegate_id)
);

-- Each contest's ballot box once it opens: the public half of its RSA key (the private half
-- is a file in the key directory) and the number of paper ballots the scrutineers entered.
CREATE TABLE ballot_boxes (
    contest_id TEXT PRIMARY KEY NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    public_key_pem TEXT NOT NULL,
    key_fingerprint TEXT NOT NULL,
    paper_entered INTEGER NOT NULL DEFAULT 0
);

-- The ballots, keyed by their paper's token (128 hex characters; the token and its signature
-- are also inside `body`, the canonical JSON that `ballot_hash` covers). No delegate, no time.
CREATE TABLE ballots (
    contest_id TEXT NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    token TEXT NOT NULL,
    ballot_hash TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    PRIMARY KEY (contest_id, token)
);

-- The certified record (选举结果报告), written once.
CREATE TABLE records (
    congress_id TEXT PRIMARY KEY NOT NULL REFERENCES congresses(id) ON DELETE CASCADE,
    record_json TEXT NOT NULL,
    record_sig TEXT NOT NULL,
    record_hash TEXT NOT NULL,
    roster_summary TEXT NOT NULL,
    signed_at BIGINT NOT NULL
);

-- Signed addenda to the record: 党委批准 (approval) and 备案 (filing).
CREATE TABLE addenda (
    id TEXT PRIMARY KEY NOT NULL,
    congress_id TEXT NOT NULL REFERENCES congresses(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('approval', 'filing')),
    body_json TEXT NOT NULL,
    sig TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (congress_id, kind)
);

-- Append-only log of every organiser and scrutineer action. Never a password, token or choice.
CREATE TABLE audit_log (
    seq BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    congress_id TEXT,
    action TEXT NOT NULL,
    target TEXT,
    addr TEXT,
    before TEXT,
    after TEXT
);
CREATE INDEX audit_log_congress ON audit_log (congress_id, seq);
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
