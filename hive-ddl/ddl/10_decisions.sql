-- Canonical decision events, one row per event_id (ingest; core/src/main/avro/DecisionEvent.avsc).
-- The Parquet files' own column names (the Avro schema's fields, in order): analysts read the
-- snake_case view ${db}.decisions (20_decisions_view.sql) instead.
-- One partition per event day (UTC), registered by 'hive register' after each ingest run.
CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:db}_files.decisions (
  eventId        STRING         COMMENT 'Unique id from the online tier; duplicates dropped by ingest',
  actorId        STRING         COMMENT 'Card or account id, byte for byte as the online tier sent it (never a clear card number)',
  eventTime      TIMESTAMP      COMMENT 'Transaction time, a UTC instant',
  channel        STRING         COMMENT 'POS, WEB, ATM, ... as sent by the online tier',
  amount         DECIMAL(18,4)  COMMENT 'Transaction amount in units of currency (never add up across currencies: use amount_usd of the views)',
  currency       STRING         COMMENT 'ISO 4217 code of amount',
  merchantId     STRING         COMMENT 'Merchant id; NULL for transfers and cash',
  mcc            STRING         COMMENT 'Merchant category code (ISO 18245)',
  country        STRING         COMMENT 'ISO 3166-1 alpha-2 country of the transaction',
  region         STRING         COMMENT 'Region or state of the transaction (ISO 3166-2 where known)',
  city           STRING         COMMENT 'City or location cell of the transaction',
  lat            DOUBLE         COMMENT 'Latitude of the transaction, degrees',
  lon            DOUBLE         COMMENT 'Longitude of the transaction, degrees',
  ip             STRING         COMMENT 'Client IP address (web channel)',
  deviceId       STRING         COMMENT 'Device id of the client (web channel)',
  decision       STRING         COMMENT 'APPROVED, DENIED or REVIEW',
  reasons        ARRAY<STRING>  COMMENT 'Reason codes of the decision (empty reads as NULL in Hive)',
  score          DOUBLE         COMMENT 'Risk score of the online tier, 0..1',
  rulesVersion   STRING         COMMENT 'Version of the online rules that decided',
  decidedAt      TIMESTAMP      COMMENT 'When the online tier decided, a UTC instant',
  extraFields    MAP<STRING,STRING> COMMENT 'Fields outside the contract, kept (card numbers masked)',
  ingestRunId    STRING         COMMENT 'The ingest run that published the row'
)
COMMENT 'Decision events of the online tier, deduplicated and validated; partitioned by event day (UTC)'
PARTITIONED BY (dt STRING COMMENT 'UTC day of eventTime, YYYY-MM-DD')
STORED AS PARQUET
LOCATION '${hivevar:root}/warehouse/decisions';
