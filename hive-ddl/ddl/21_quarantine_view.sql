-- Quarantined records for analysts (the list of every problem of a record, an array of structs, is
-- in ${db}_files.quarantine.problems).
CREATE VIEW IF NOT EXISTS ${hivevar:db}.quarantine (
  reason        COMMENT 'The first problem: MALFORMED_JSON, MISSING_FIELD, WRONG_TYPE, INVALID_VALUE, OUT_OF_RANGE, ...',
  event_id      COMMENT 'The record''s event id when it could be read',
  body          COMMENT 'The landing record as received, UTF-8 (card numbers masked)',
  body_length   COMMENT 'Length of the landed record in bytes',
  source_file   COMMENT 'Landing file the record came from, a full URI',
  record_index  COMMENT '0-based position of the record in that file',
  landing_hour  COMMENT 'The Flume hour bucket the file sat in, UTC',
  ingest_run_id COMMENT 'The ingest run that quarantined the record',
  ingested_at   COMMENT 'When that run quarantined it, UTC',
  landing_date  COMMENT 'UTC landing day, YYYY-MM-DD (the partition: filters on it prune)'
)
COMMENT 'Landing records ingest rejected, with why and where from'
AS SELECT
  reason, eventId, body, bodyLength, sourceFile, recordIndex, landingHour, ingestRunId, ingestedAt, dt
FROM ${hivevar:db}_files.quarantine;
