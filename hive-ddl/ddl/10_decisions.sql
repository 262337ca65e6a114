-- Canonical decision events, one row per eventId (ingest; core/src/main/avro/DecisionEvent.avsc).
-- Columns in the Avro schema's order: Impala resolves Parquet columns by position by default.
-- One partition per event day (UTC), registered by 'hive register' after each ingest run.
CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:db}.decisions (
  eventId       STRING         COMMENT 'unique id from the online tier; duplicates dropped by ingest',
  actorId       STRING         COMMENT 'card or account id (never a clear card number)',
  eventTime     TIMESTAMP      COMMENT 'transaction time, UTC instant (Parquet INT64 timestamp-millis)',
  channel       STRING,
  amount        DECIMAL(18,4)  COMMENT 'transaction amount in currency units (Parquet FIXED decimal)',
  currency      STRING,
  merchantId    STRING,
  mcc           STRING         COMMENT 'merchant category code',
  country       STRING,
  region        STRING,
  city          STRING,
  lat           DOUBLE,
  lon           DOUBLE,
  ip            STRING,
  deviceId      STRING,
  decision      STRING         COMMENT 'APPROVED, DENIED or REVIEW',
  reasons       ARRAY<STRING>  COMMENT 'reason codes of the decision',
  score         DOUBLE,
  rulesVersion  STRING,
  decidedAt     TIMESTAMP,
  extraFields   MAP<STRING,STRING> COMMENT 'fields outside the contract, kept (PANs masked)',
  ingestRunId   STRING         COMMENT 'the ingest run that published the row'
)
COMMENT 'Decision events, deduplicated and validated; partitioned by event day (UTC)'
PARTITIONED BY (dt STRING)
STORED AS PARQUET
LOCATION '${hivevar:root}/warehouse/decisions';
