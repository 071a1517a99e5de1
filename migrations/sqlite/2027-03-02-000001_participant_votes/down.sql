DROP TABLE participant_ballots;
DROP TABLE participant_roll;
DROP TABLE participant_boxes;
DROP INDEX meeting_participants_token;
ALTER TABLE meeting_participants DROP COLUMN issued_at;
ALTER TABLE meeting_participants DROP COLUMN token_hash;
ALTER TABLE meetings DROP COLUMN participant_votes;
