-- Uploads waiting for the organiser's confirmation (issue 14): a file that would replace rows
-- already stored is read and checked whole, then kept here until the uploader confirms it on
-- the confirmation page (applied in one transaction, the row deleted with it), cancels it, or
-- it expires (30 minutes). One use: confirming or cancelling deletes the row.
-- kind: enrolment / societies / nominees / roster / candidates (contest_id set).
-- replaces: rows stored when the file was staged; new_rows: the file's data rows.
CREATE TABLE pending_uploads (
    id TEXT PRIMARY KEY NOT NULL,
    congress_id TEXT NOT NULL REFERENCES congresses(id) ON DELETE CASCADE,
    username TEXT NOT NULL,
    kind TEXT NOT NULL,
    contest_id TEXT,
    file_name TEXT NOT NULL,
    bytes BLOB NOT NULL,
    replaces BIGINT NOT NULL,
    new_rows BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX pending_uploads_expiry ON pending_uploads (expires_at);
