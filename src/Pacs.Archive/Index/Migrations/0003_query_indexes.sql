-- Query paths (Pacs.Archive.Query): wildcard matching on the identifiers people type partially. Equality on these
-- columns already uses the btree/unique indexes of version 1; LIKE with a leading or inner wildcard needs trigrams.
CREATE INDEX patient_id_trgm ON patient USING gin (patient_id gin_trgm_ops);
CREATE INDEX study_accession_trgm ON study USING gin (accession_number gin_trgm_ops);
CREATE INDEX study_id_trgm ON study USING gin (study_id gin_trgm_ops);
