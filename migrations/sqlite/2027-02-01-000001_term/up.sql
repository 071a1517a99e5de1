-- Between congresses (issue 15, rules H): the standing delegates (常任代表) each college
-- nominates from the congress's delegates, and the meetings (常代会会议, 评议会) held during the
-- congress's term. A meeting is a congress row of its own (its roster, cards, check-in,
-- contests, board, record and packet work unchanged); this table links it to its congress.

-- How many standing delegates each college nominates (set by the organiser).
CREATE TABLE standing_quotas (
    congress_id TEXT NOT NULL REFERENCES congresses(id) ON DELETE CASCADE,
    college TEXT NOT NULL,
    seats INTEGER NOT NULL,
    PRIMARY KEY (congress_id, college)
);

-- The nominated standing delegates: delegates of that congress.
CREATE TABLE standing_delegates (
    congress_id TEXT NOT NULL REFERENCES congresses(id) ON DELETE CASCADE,
    delegate_id TEXT NOT NULL REFERENCES delegates(id) ON DELETE CASCADE,
    PRIMARY KEY (congress_id, delegate_id)
);

-- The list's freezing: when, by whom, and the report it was validated with (JSON).
CREATE TABLE standing_lists (
    congress_id TEXT PRIMARY KEY NOT NULL REFERENCES congresses(id) ON DELETE CASCADE,
    frozen_at BIGINT NOT NULL,
    frozen_by TEXT NOT NULL,
    report TEXT NOT NULL
);

-- A meeting between congresses: its own congress row (congress_id) in the term of parent_id.
-- kind: standing (常代会会议) / review (评议会).
CREATE TABLE meetings (
    congress_id TEXT PRIMARY KEY NOT NULL REFERENCES congresses(id) ON DELETE CASCADE,
    parent_id TEXT NOT NULL REFERENCES congresses(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX meetings_parent ON meetings (parent_id);

-- Named participants of a 评议会 (学工部, 校团委): they attend and are checked in, but are not
-- delegates: not in 应到 or 实到 and never given a ballot paper.
CREATE TABLE meeting_participants (
    id TEXT PRIMARY KEY NOT NULL,
    congress_id TEXT NOT NULL REFERENCES congresses(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    position INTEGER NOT NULL,
    present BOOLEAN NOT NULL DEFAULT 0
);
CREATE INDEX meeting_participants_congress ON meeting_participants (congress_id, position);
