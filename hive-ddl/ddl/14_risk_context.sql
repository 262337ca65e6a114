-- Risk context the online tier reads from HBase (RiskContext.avsc): keys under suspicion and how
-- much to tighten the rules, as of a day.
CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:db}_files.risk_context (
  keyType                  STRING  COMMENT 'region, merchant, mcc or ip24',
  key                      STRING  COMMENT 'The region code, merchant id, merchant category code or IP prefix',
  level                    STRING  COMMENT 'LOW, MEDIUM or HIGH: the highest severity of the key''s anomalies in the context period',
  amountMultiplier         DOUBLE  COMMENT 'Factor on the per-actor amount threshold at this key (1 = unchanged)',
  newLocationMultiplier    DOUBLE  COMMENT 'Factor on the new-location threshold at this key',
  anomalies                INT     COMMENT 'Anomalous windows of the key in the context period',
  topMetric                STRING  COMMENT 'Metric of the highest-scoring anomaly',
  topScore                 DOUBLE  COMMENT 'Score of the highest-scoring anomaly',
  lastAnomalyEnd           TIMESTAMP COMMENT 'End of the latest anomalous window',
  validUntil               TIMESTAMP COMMENT 'last_anomaly_end plus the context period: the online tier ignores the entry after this',
  asOf                     TIMESTAMP COMMENT 'The snapshot time: the end of the last window the run scored',
  runId                    STRING  COMMENT 'The anomaly run that wrote the row'
)
COMMENT 'Risk context snapshots the online tier reads from HBase; partitioned by as_of'
PARTITIONED BY (as_of STRING COMMENT 'UTC day of the snapshot, YYYY-MM-DD')
STORED AS PARQUET
LOCATION '${hivevar:root}/warehouse/risk_context';
