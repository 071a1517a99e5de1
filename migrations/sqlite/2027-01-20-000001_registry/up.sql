-- Two more account roles for the filing office (docs/registry.md): `office` (上级学联 /
-- 团委 staff) and `school` (a school's filing account). SQLite cannot alter a CHECK
-- constraint, so `users` is rebuilt (the documented 12-step procedure: foreign keys off, copy,
-- drop, rename, check, inside one transaction of our own; see metadata.toml).
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE users_new (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('organiser', 'scrutineer', 'office', 'school')),
    must_change_password BOOLEAN NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    session_epoch BIGINT NOT NULL DEFAULT 0
);
INSERT INTO users_new (id, username, password_hash, role, must_change_password, created_at, session_epoch)
    SELECT id, username, password_hash, role, must_change_password, created_at, session_epoch FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

-- The filing office (备案登记, `congress registry`): the units that file with it (学校; a
-- school's 团委 may run one for its colleges), their accounts, the signing keys pinned per
-- congress, every accepted packet and every refused one. See docs/registry.md.
CREATE TABLE registry_schools (
    id TEXT PRIMARY KEY NOT NULL,
    -- The office's code for the school (e.g. the national school code 10558).
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

-- A school account (users.role = 'school') files for exactly one school.
CREATE TABLE registry_members (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id),
    school_id TEXT NOT NULL REFERENCES registry_schools(id)
);
CREATE INDEX registry_members_school ON registry_members (school_id);

-- Signing keys: each congress signs with its own key. `congress_id` NULL is a fingerprint the
-- office entered for the school's next congress (from the signed paper report); it becomes
-- that congress's pin when its first packet matches. `source`: office | filing (pinned by
-- the first accepted filing of the congress).
CREATE TABLE registry_keys (
    id TEXT PRIMARY KEY NOT NULL,
    school_id TEXT NOT NULL REFERENCES registry_schools(id),
    congress_id TEXT,
    fingerprint TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('office', 'filing')),
    note TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX registry_keys_congress ON registry_keys (school_id, congress_id);
CREATE INDEX registry_keys_fingerprint ON registry_keys (fingerprint);

-- Accepted packets. The packet itself is a file in the store (`stored_as`, relative to the
-- store directory); the record, roster summary and addenda are kept here as JSON text, so the
-- province table needs no file access.
CREATE TABLE registry_filings (
    id TEXT PRIMARY KEY NOT NULL,
    school_id TEXT NOT NULL REFERENCES registry_schools(id),
    congress_id TEXT NOT NULL,
    congress_name TEXT NOT NULL,
    school_in_record TEXT NOT NULL,
    level TEXT NOT NULL,
    session_no BIGINT NOT NULL,
    congress_date TEXT NOT NULL,
    year INTEGER NOT NULL,
    record_sha256 TEXT NOT NULL,
    packet_sha256 TEXT NOT NULL,
    packet_bytes BIGINT NOT NULL,
    stored_as TEXT NOT NULL,
    key_fingerprint TEXT NOT NULL,
    checks INTEGER NOT NULL,
    record_json TEXT NOT NULL,
    roster_summary TEXT NOT NULL,
    addenda TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    via TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL,
    UNIQUE (school_id, packet_sha256)
);
CREATE INDEX registry_filings_year ON registry_filings (year, school_id);
CREATE INDEX registry_filings_school ON registry_filings (school_id, congress_date);
CREATE INDEX registry_filings_congress ON registry_filings (congress_id);

-- Refused packets: never stored, only this line (the reason and the packet's hash).
CREATE TABLE registry_refusals (
    id TEXT PRIMARY KEY NOT NULL,
    school_id TEXT NOT NULL REFERENCES registry_schools(id),
    packet_sha256 TEXT NOT NULL,
    packet_bytes BIGINT NOT NULL,
    reason TEXT NOT NULL,
    details TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    via TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX registry_refusals_school ON registry_refusals (school_id, at);

-- The office's settings (filing deadline, congress interval), name -> value.
CREATE TABLE registry_settings (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

COMMIT;
PRAGMA foreign_keys = ON;
