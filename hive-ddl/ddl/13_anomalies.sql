-- Cross-user anomalies per key (region, merchant, mcc, ip24) and time window (anomalies job;
-- core/src/main/avro/Anomaly.avsc). One partition per scored day (UTC) of the window start.
CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:db}_files.anomalies (
  keyType       STRING  COMMENT 'region, merchant, mcc or ip24 (the /24 prefix of an IPv4 address)',
  key           STRING  COMMENT 'The region code, merchant id, merchant category code or IP prefix',
  windowStart   TIMESTAMP COMMENT 'Start of the window (inclusive), a UTC instant',
  windowEnd     TIMESTAMP COMMENT 'End of the window (exclusive), a UTC instant',
  metric        STRING  COMMENT 'events, actors, maxCardsPerDevice (counts); declineRate, microShare, newLocationShare (rates)',
  observed      DOUBLE  COMMENT 'The metric in the window',
  expected      DOUBLE  COMMENT 'What the key''s history expected at that time of week or day',
  spread        DOUBLE  COMMENT 'Robust standard deviation of the history (1.4826 x MAD); 0 for a pooled baseline',
  score         DOUBLE  COMMENT 'How unusual, as a one-sided normal score (Anomaly.avsc)',
  severity      STRING  COMMENT 'LOW, MEDIUM or HIGH by the run''s score thresholds',
  basis         STRING  COMMENT 'OWN_HISTORY, DAILY_HISTORY or POOLED: where the expectation came from',
  history       ARRAY<DOUBLE> COMMENT 'The values the expectation came from, most recent first',
  evidence      STRUCT<events:BIGINT, actors:BIGINT, declines:BIGINT, micro:BIGINT, newLocationActors:BIGINT,
                       maxCardsPerDevice:BIGINT, amountP50Cents:BIGINT, amountP95Cents:BIGINT> COMMENT 'Counts of the window and its amount percentiles in US cents',
  runId         STRING  COMMENT 'The anomaly run that wrote the row'
)
COMMENT 'Anomalous (key, window, metric) triples; partitioned by the UTC day of window_start'
PARTITIONED BY (dt STRING COMMENT 'UTC day of window_start, YYYY-MM-DD')
STORED AS PARQUET
LOCATION '${hivevar:root}/warehouse/anomalies';
