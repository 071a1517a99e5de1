DROP TABLE contest_reviews;
