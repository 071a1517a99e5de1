-- 评议会 participants counted apart (issue 15, rule I7). A meeting's participant_votes is
-- 'none' (participants attend without a vote, the default and the behaviour before) or 'apart'
-- (each present participant takes a ballot paper signed with a second key of the contest, the
-- participants' key; their ballots are tallied apart from the delegates' and never enter the
-- result, 应到, 实到 or the quorum).
ALTER TABLE meetings ADD COLUMN participant_votes TEXT NOT NULL DEFAULT 'none';

-- A participant's card (列席人员投票卡): only the SHA-256 of its token is kept (as for a
-- delegate's card); issued_at is the card's issue time (what the token is derived from and
-- the session epoch: a card issued again ends the sessions of the old one).
ALTER TABLE meeting_participants ADD COLUMN token_hash TEXT;
ALTER TABLE meeting_participants ADD COLUMN issued_at BIGINT;
CREATE UNIQUE INDEX meeting_participants_token ON meeting_participants (token_hash);

-- The participants' ballot box of a contest of an 'apart' meeting, made when it opens: the
-- public half of the participants' RSA key, the participants present at opening (papers
-- issued) and the participants listed then; once counted, their ballots cast, their board's
-- Merkle root and their separate tally (JSON, the format of contests.result).
CREATE TABLE participant_boxes (
    contest_id TEXT PRIMARY KEY NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    public_key_pem TEXT NOT NULL,
    key_fingerprint TEXT NOT NULL,
    issued INTEGER NOT NULL,
    listed INTEGER NOT NULL,
    cast_count INTEGER,
    merkle_root TEXT,
    result TEXT
);

-- The participants entitled to a paper (present when the contest opened), and once one took
-- it (领票) the blinded message's SHA-256 and the blind signature, as in `roll`. Never linked
-- to a ballot.
CREATE TABLE participant_roll (
    contest_id TEXT NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES meeting_participants(id),
    blinded_sha256 TEXT,
    blind_sig TEXT,
    PRIMARY KEY (contest_id, participant_id)
) WITHOUT ROWID;

-- The participants' ballots, as `ballots`: keyed by the paper's token, no participant, no time.
CREATE TABLE participant_ballots (
    contest_id TEXT NOT NULL REFERENCES contests(id) ON DELETE CASCADE,
    token TEXT NOT NULL,
    ballot_hash TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    PRIMARY KEY (contest_id, token)
) WITHOUT ROWID;
