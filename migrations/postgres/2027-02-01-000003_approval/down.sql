DROP TABLE objections;
DROP TABLE approval_steps;
DROP TABLE candidate_notes;
