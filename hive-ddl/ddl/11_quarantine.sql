-- Records ingest rejected, with the reason and where they came from (QuarantineRecord.avsc).
CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:db}.quarantine (
  reason        STRING  COMMENT 'MALFORMED_JSON, MISSING_FIELD, WRONG_TYPE, INVALID_VALUE, OUT_OF_RANGE, ...',
  problems      ARRAY<STRUCT<`field`:STRING, `value`:STRING, problem:STRING, message:STRING>>,
  eventId       STRING,
  body          STRING  COMMENT 'the landing record as received (PANs masked)',
  bodyLength    INT,
  sourceFile    STRING  COMMENT 'landing file the record came from',
  recordIndex   BIGINT  COMMENT 'position of the record in that file',
  landingHour   TIMESTAMP,
  ingestRunId   STRING,
  ingestedAt    TIMESTAMP
)
COMMENT 'Rejected landing records; partitioned by landing day (UTC)'
PARTITIONED BY (dt STRING)
STORED AS PARQUET
LOCATION '${hivevar:root}/warehouse/quarantine';
