-- Sessions that end on the server: logging out bumps the account's epoch, and a staff cookie
-- carrying an older epoch is refused (on every app server sharing the database).
ALTER TABLE users ADD COLUMN session_epoch BIGINT NOT NULL DEFAULT 0;

-- What happened to each delegate's card (代表证): printed or reissued (by whom), logged in with
-- (QR link or typed code), checked in / out (by the card, or by the staff member named). The
-- delegate sees their card's events on their phone and the scrutineers see how each delegate
-- was checked in. Never a ballot, a choice or a contest.
CREATE TABLE card_events (
    id TEXT PRIMARY KEY NOT NULL,
    congress_id TEXT NOT NULL REFERENCES congresses(id) ON DELETE CASCADE,
    delegate_id TEXT NOT NULL REFERENCES delegates(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    via TEXT NOT NULL,
    actor TEXT
);
CREATE INDEX card_events_delegate ON card_events (delegate_id, at);
CREATE INDEX card_events_congress ON card_events (congress_id, at);
