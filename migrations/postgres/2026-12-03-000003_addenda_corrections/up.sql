-- Issue 12.7: an approval or filing is corrected by a further signed addendum of the same
-- kind (seq 2, 3, ...), never by editing; so (congress, kind) is no longer unique.
ALTER TABLE addenda DROP CONSTRAINT addenda_congress_id_kind_key;
ALTER TABLE addenda ADD COLUMN seq INTEGER NOT NULL DEFAULT 1;
ALTER TABLE addenda ADD CONSTRAINT addenda_congress_id_kind_seq_key UNIQUE (congress_id, kind, seq);
