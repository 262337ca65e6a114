-- Anomalies for analysts, flat (the history the expectation came from, an array, is in
-- ${db}_files.anomalies.history).
CREATE VIEW IF NOT EXISTS ${hivevar:db}.anomalies (
  key_type                       COMMENT 'region, merchant, mcc or ip24 (the /24 prefix of an IPv4 address)',
  key                            COMMENT 'The region code, merchant id, merchant category code or IP prefix',
  window_start                   COMMENT 'Start of the window (inclusive), UTC',
  window_end                     COMMENT 'End of the window (exclusive), UTC',
  metric                         COMMENT 'events, actors, maxCardsPerDevice (counts); declineRate, microShare, newLocationShare (rates)',
  observed                       COMMENT 'The metric in the window',
  expected                       COMMENT 'What the key''s history expected at that time of week or day',
  spread                         COMMENT 'Robust standard deviation of the history; 0 for a pooled baseline',
  score                          COMMENT 'How unusual, as a one-sided normal score',
  severity                       COMMENT 'LOW, MEDIUM or HIGH by the run''s score thresholds',
  basis                          COMMENT 'OWN_HISTORY, DAILY_HISTORY or POOLED: where the expectation came from',
  evidence_events                COMMENT 'Events in the window',
  evidence_actors                COMMENT 'Distinct actors in the window',
  evidence_declines              COMMENT 'Declined events in the window',
  evidence_micro                 COMMENT 'Micro-transactions in the window',
  evidence_new_location_actors   COMMENT 'Actors at a place new to them',
  evidence_max_cards_per_device  COMMENT 'Most cards seen on one device',
  amount_p50_usd                 COMMENT 'Median amount in the window, USD',
  amount_p95_usd                 COMMENT '95th percentile amount in the window, USD',
  run_id                         COMMENT 'The anomaly run that wrote the row',
  window_date                    COMMENT 'UTC day of window_start, YYYY-MM-DD (the partition: filters on it prune)'
)
COMMENT 'Anomalous (key, window, metric) triples of the cross-user anomaly job'
AS SELECT
  keyType, key, windowStart, windowEnd, metric, observed, expected, spread, score, severity, basis,
  evidence.events, evidence.actors, evidence.declines, evidence.micro, evidence.newLocationActors,
  evidence.maxCardsPerDevice,
  CAST(evidence.amountP50Cents AS DECIMAL(20,0)) / 100,
  CAST(evidence.amountP95Cents AS DECIMAL(20,0)) / 100,
  runId, dt
FROM ${hivevar:db}_files.anomalies;
