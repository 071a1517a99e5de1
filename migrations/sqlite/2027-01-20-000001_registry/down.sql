PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
DROP TABLE registry_settings;
DROP TABLE registry_refusals;
DROP TABLE registry_filings;
DROP TABLE registry_keys;
DROP TABLE registry_members;
DROP TABLE registry_schools;
DELETE FROM api_tokens WHERE user_id IN (SELECT id FROM users WHERE role IN ('office', 'school'));
DELETE FROM users WHERE role IN ('office', 'school');
CREATE TABLE users_new (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('organiser', 'scrutineer')),
    must_change_password BOOLEAN NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    session_epoch BIGINT NOT NULL DEFAULT 0
);
INSERT INTO users_new SELECT id, username, password_hash, role, must_change_password, created_at, session_epoch FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
COMMIT;
PRAGMA foreign_keys = ON;
