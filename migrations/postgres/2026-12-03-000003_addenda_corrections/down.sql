DELETE FROM addenda WHERE seq > 1;
ALTER TABLE addenda DROP CONSTRAINT addenda_congress_id_kind_seq_key;
ALTER TABLE addenda DROP COLUMN seq;
ALTER TABLE addenda ADD CONSTRAINT addenda_congress_id_kind_key UNIQUE (congress_id, kind);
