-- Cross-user anomalies per key (region, merchant, mcc, ip24) and time window (anomalies job;
-- core/src/main/avro/Anomaly.avsc). One partition per scored day (UTC) of the window start.
CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:db}.anomalies (
  keyType      STRING  COMMENT 'region, merchant, mcc or ip24',
  key          STRING,
  windowStart  TIMESTAMP,
  windowEnd    TIMESTAMP,
  metric       STRING  COMMENT 'events, actors, maxCardsPerDevice (counts); declineRate, microShare, newLocationShare (rates)',
  observed     DOUBLE,
  expected     DOUBLE,
  spread       DOUBLE,
  score        DOUBLE  COMMENT 'how unusual, as a one-sided normal score (Anomaly.avsc)',
  severity     STRING  COMMENT 'LOW, MEDIUM or HIGH',
  basis        STRING  COMMENT 'OWN_HISTORY, DAILY_HISTORY or POOLED: where the expectation came from',
  history      ARRAY<DOUBLE>,
  evidence     STRUCT<events:BIGINT, actors:BIGINT, declines:BIGINT, micro:BIGINT, newLocationActors:BIGINT,
                      maxCardsPerDevice:BIGINT, amountP50Cents:BIGINT, amountP95Cents:BIGINT>,
  runId        STRING
)
COMMENT 'Anomalous (key, window, metric) triples; partitioned by day'
PARTITIONED BY (dt STRING)
STORED AS PARQUET
LOCATION '${hivevar:root}/warehouse/anomalies';
