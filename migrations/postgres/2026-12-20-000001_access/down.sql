DROP TABLE card_events;
ALTER TABLE users DROP COLUMN session_epoch;
