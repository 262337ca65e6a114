-- The merchants with the most anomalies over the seven days up to the latest scored day (not the
-- calendar week of today: backfills and late data stay comparable). Portable to Impala: the metric
-- list is built with CASE and concat, not collect_set.
CREATE VIEW IF NOT EXISTS ${hivevar:db}.anomalous_merchants_7d (
  merchant_id     COMMENT 'The merchant',
  anomalies       COMMENT 'Anomalous (window, metric) pairs',
  windows         COMMENT 'Distinct anomalous windows',
  high            COMMENT 'Anomalies of severity HIGH',
  medium          COMMENT 'Anomalies of severity MEDIUM',
  max_score       COMMENT 'The highest score',
  first_window    COMMENT 'Start of the first anomalous window, UTC',
  last_window_end COMMENT 'End of the last anomalous window, UTC',
  metrics         COMMENT 'The anomalous metrics, comma-separated'
)
COMMENT 'Merchants by anomalies in the seven days up to the latest scored day'
AS SELECT
  a.key,
  count(*),
  count(DISTINCT a.window_start),
  sum(CASE WHEN a.severity = 'HIGH' THEN 1 ELSE 0 END),
  sum(CASE WHEN a.severity = 'MEDIUM' THEN 1 ELSE 0 END),
  max(a.score),
  min(a.window_start),
  max(a.window_end),
  regexp_replace(concat(
    max(CASE WHEN a.metric = 'events' THEN 'events,' ELSE '' END),
    max(CASE WHEN a.metric = 'actors' THEN 'actors,' ELSE '' END),
    max(CASE WHEN a.metric = 'maxCardsPerDevice' THEN 'maxCardsPerDevice,' ELSE '' END),
    max(CASE WHEN a.metric = 'declineRate' THEN 'declineRate,' ELSE '' END),
    max(CASE WHEN a.metric = 'microShare' THEN 'microShare,' ELSE '' END),
    max(CASE WHEN a.metric = 'newLocationShare' THEN 'newLocationShare,' ELSE '' END)), ',$', '')
FROM ${hivevar:db}.anomalies a
CROSS JOIN (SELECT max(window_date) AS last_dt FROM ${hivevar:db}.anomalies) latest
WHERE a.key_type = 'merchant'
  AND a.window_date > CAST(date_sub(CAST(latest.last_dt AS DATE), 7) AS STRING)
GROUP BY a.key;
