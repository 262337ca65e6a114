-- Risk context the online tier reads from HBase (RiskContext.avsc): keys under suspicion and how
-- much to tighten the rules, as of a day.
CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:db}.risk_context (
  keyType                STRING,
  key                    STRING,
  level                  STRING  COMMENT 'LOW, MEDIUM or HIGH',
  amountMultiplier       DOUBLE  COMMENT 'factor on the daily-spend threshold for actors on this key',
  newLocationMultiplier  DOUBLE,
  anomalies              INT,
  topMetric              STRING,
  topScore               DOUBLE,
  lastAnomalyEnd         TIMESTAMP,
  validUntil             TIMESTAMP,
  asOf                   TIMESTAMP,
  runId                  STRING
)
COMMENT 'Risk context snapshots; partitioned by as_of'
PARTITIONED BY (as_of STRING)
STORED AS PARQUET
LOCATION '${hivevar:root}/warehouse/risk_context';
