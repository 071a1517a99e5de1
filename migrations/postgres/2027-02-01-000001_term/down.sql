DROP TABLE meeting_participants;
DROP TABLE meetings;
DROP TABLE standing_lists;
DROP TABLE standing_delegates;
DROP TABLE standing_quotas;
