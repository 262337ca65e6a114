-- Records ingest rejected, with the reason and where they came from (QuarantineRecord.avsc).
CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:db}_files.quarantine (
  reason         STRING  COMMENT 'The first problem: MALFORMED_JSON, MISSING_FIELD, WRONG_TYPE, INVALID_VALUE, OUT_OF_RANGE, ...',
  problems       ARRAY<STRUCT<`field`:STRING, `value`:STRING, problem:STRING, message:STRING>> COMMENT 'Every problem found, in field order',
  eventId        STRING  COMMENT 'The record''s event id when it could be read',
  body           STRING  COMMENT 'The landing record as received, UTF-8 (card numbers masked)',
  bodyLength     INT     COMMENT 'Length of the landed record in bytes',
  sourceFile     STRING  COMMENT 'Landing file the record came from, a full URI',
  recordIndex    BIGINT  COMMENT '0-based position of the record in that file',
  landingHour    TIMESTAMP COMMENT 'The Flume hour bucket the file sat in',
  ingestRunId    STRING  COMMENT 'The ingest run that quarantined the record',
  ingestedAt     TIMESTAMP COMMENT 'When that run quarantined it'
)
COMMENT 'Landing records ingest rejected, with why and where from; partitioned by landing day (UTC)'
PARTITIONED BY (dt STRING COMMENT 'UTC landing day of the record (its Flume hour bucket), YYYY-MM-DD')
STORED AS PARQUET
LOCATION '${hivevar:root}/warehouse/quarantine';
