-- Pacs index, version 1: patient -> study -> series -> instance with typed match keys (PS3.4 C.6.1.1 / C.6.2.1,
-- PS3.18 Table 10.6.1-5), aggregates kept on write, instance versions for the ingest protocol.

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The search key of a person name or free text: components and groups split on spaces, lower case, no diacritics.
-- unaccent() is only STABLE (its dictionary could change); pinning the dictionary makes this wrapper safe to
-- declare IMMUTABLE, which an expression or a stored key used by an index needs.
CREATE FUNCTION pacs_search_key(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN btrim(regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, translate(value, '^=', '  '))), '\s+', ' ', 'g'));

CREATE TABLE patient (
    patient_pk bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id text NOT NULL DEFAULT '',
    issuer_of_patient_id text NOT NULL DEFAULT '',
    patient_name text,
    patient_name_key text,
    other_patient_names text,
    other_patient_ids text[] NOT NULL DEFAULT '{}',
    patient_birth_date date,
    patient_birth_time time,
    patient_sex text,
    ethnic_group text,
    patient_comments text,
    number_of_patient_related_studies integer NOT NULL DEFAULT 0,
    number_of_patient_related_series integer NOT NULL DEFAULT 0,
    number_of_patient_related_instances integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (patient_id, issuer_of_patient_id)
);
CREATE INDEX patient_name_key_trgm ON patient USING gin (patient_name_key gin_trgm_ops);
CREATE INDEX patient_birth_date_idx ON patient (patient_birth_date);

CREATE TABLE study (
    study_pk bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_pk bigint NOT NULL REFERENCES patient,
    study_instance_uid text NOT NULL UNIQUE,
    study_date date,
    study_time time,
    accession_number text,
    issuer_of_accession_number text,
    study_id text,
    study_description text,
    referring_physician_name text,
    referring_physician_name_key text,
    name_of_physicians_reading_study text,
    admitting_diagnoses_description text,
    patient_age text,
    patient_size double precision,
    patient_weight double precision,
    occupation text,
    additional_patient_history text,
    other_study_numbers text,
    timezone_offset_from_utc text,
    modalities_in_study text[] NOT NULL DEFAULT '{}',
    sop_classes_in_study text[] NOT NULL DEFAULT '{}',
    number_of_study_related_series integer NOT NULL DEFAULT 0,
    number_of_study_related_instances integer NOT NULL DEFAULT 0,
    study_size bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX study_patient_idx ON study (patient_pk);
CREATE INDEX study_date_time_idx ON study (study_date, study_time);
CREATE INDEX study_accession_idx ON study (accession_number);
CREATE INDEX study_id_idx ON study (study_id);
CREATE INDEX study_modalities_idx ON study USING gin (modalities_in_study);
CREATE INDEX study_referring_key_trgm ON study USING gin (referring_physician_name_key gin_trgm_ops);
CREATE INDEX study_created_idx ON study (created_at);

CREATE TABLE series (
    series_pk bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    study_pk bigint NOT NULL REFERENCES study,
    series_instance_uid text NOT NULL UNIQUE,
    modality text,
    series_number integer,
    series_description text,
    series_date date,
    series_time time,
    performed_procedure_step_start_date date,
    performed_procedure_step_start_time time,
    body_part_examined text,
    laterality text,
    institution_name text,
    institutional_department_name text,
    station_name text,
    manufacturer text,
    manufacturer_model_name text,
    protocol_name text,
    performing_physician_name text,
    performing_physician_name_key text,
    operators_name text,
    scheduled_procedure_step_ids text[] NOT NULL DEFAULT '{}',
    requested_procedure_ids text[] NOT NULL DEFAULT '{}',
    number_of_series_related_instances integer NOT NULL DEFAULT 0,
    series_size bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX series_study_idx ON series (study_pk);
CREATE INDEX series_modality_idx ON series (modality);
CREATE INDEX series_pps_start_idx ON series (performed_procedure_step_start_date, performed_procedure_step_start_time);
CREATE INDEX series_sps_ids_idx ON series USING gin (scheduled_procedure_step_ids);
CREATE INDEX series_rp_ids_idx ON series USING gin (requested_procedure_ids);

-- One row per reserved or stored version of an instance. version_pk is the version number in the blob key:
-- a sequence, so concurrent stores of one SOP Instance never pick the same key.
CREATE TABLE instance_version (
    version_pk bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sop_instance_uid text NOT NULL,
    series_instance_uid text NOT NULL,
    study_instance_uid text NOT NULL,
    state text NOT NULL CHECK (state IN ('creating', 'created')),
    blob_key text NOT NULL UNIQUE,
    transfer_syntax_uid text NOT NULL,
    source_ae text,
    size bigint,
    sha256 bytea,
    content_sha256 bytea,
    reserved_at timestamptz NOT NULL DEFAULT now(),
    committed_at timestamptz
);
CREATE INDEX instance_version_sop_idx ON instance_version (sop_instance_uid);
CREATE INDEX instance_version_creating_idx ON instance_version (reserved_at) WHERE state = 'creating';

CREATE TABLE instance (
    instance_pk bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    series_pk bigint NOT NULL REFERENCES series,
    sop_instance_uid text NOT NULL UNIQUE,
    sop_class_uid text NOT NULL,
    instance_number integer,
    content_date date,
    content_time time,
    acquisition_date date,
    acquisition_time time,
    number_of_frames integer,
    rows integer,
    columns integer,
    bits_allocated integer,
    image_type text,
    content_label text,
    content_description text,
    completion_flag text,
    verification_flag text,
    concept_name_code_value text,
    concept_name_coding_scheme_designator text,
    transfer_syntax_uid text NOT NULL,
    current_version_pk bigint NOT NULL REFERENCES instance_version,
    size bigint NOT NULL,
    sha256 bytea NOT NULL,
    -- DICOM JSON (PS3.18 F) without bulk data; filled once the toolkit's JSON writer exists.
    metadata jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX instance_series_idx ON instance (series_pk, instance_number);
CREATE INDEX instance_sop_class_idx ON instance (sop_class_uid);
CREATE INDEX instance_version_idx ON instance (current_version_pk);
