-- The risk context for analysts: what the online tier reads from HBase, by snapshot day.
CREATE VIEW IF NOT EXISTS ${hivevar:db}.risk_context (
  key_type                COMMENT 'region, merchant, mcc or ip24',
  key                     COMMENT 'The region code, merchant id, merchant category code or IP prefix',
  level                   COMMENT 'LOW, MEDIUM or HIGH: the highest severity of the key''s anomalies in the context period',
  amount_multiplier       COMMENT 'Factor on the per-actor amount threshold at this key (1 = unchanged)',
  new_location_multiplier COMMENT 'Factor on the new-location threshold at this key',
  anomalies               COMMENT 'Anomalous windows of the key in the context period',
  top_metric              COMMENT 'Metric of the highest-scoring anomaly',
  top_score               COMMENT 'Score of the highest-scoring anomaly',
  last_anomaly_end        COMMENT 'End of the latest anomalous window, UTC',
  valid_until             COMMENT 'The online tier ignores the entry after this, UTC',
  as_of_time              COMMENT 'The snapshot time: the end of the last window the run scored, UTC',
  run_id                  COMMENT 'The anomaly run that wrote the row',
  as_of                   COMMENT 'UTC day of the snapshot, YYYY-MM-DD (the partition)'
)
COMMENT 'Risk context snapshots: keys under suspicion and how much the online tier tightens its rules'
AS SELECT
  keyType, key, level, amountMultiplier, newLocationMultiplier, anomalies, topMetric, topScore,
  lastAnomalyEnd, validUntil, asOf, runId, as_of
FROM ${hivevar:db}_files.risk_context;
