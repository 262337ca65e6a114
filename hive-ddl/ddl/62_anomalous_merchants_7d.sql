-- The merchants with the most anomalies over the seven days up to the latest scored day (not the
-- calendar week of today: backfills and late data stay comparable).
CREATE VIEW IF NOT EXISTS ${hivevar:db}.anomalous_merchants_7d
COMMENT 'Merchants by anomalies in the seven days up to the latest scored day'
AS SELECT
  a.key AS merchant_id,
  count(*) AS anomalies,
  count(DISTINCT a.windowStart) AS windows,
  sum(CASE WHEN a.severity = 'HIGH' THEN 1 ELSE 0 END) AS high,
  sum(CASE WHEN a.severity = 'MEDIUM' THEN 1 ELSE 0 END) AS medium,
  max(a.score) AS max_score,
  min(a.windowStart) AS first_window,
  max(a.windowEnd) AS last_window_end,
  concat_ws(',', collect_set(a.metric)) AS metrics
FROM ${hivevar:db}.anomalies a
CROSS JOIN (SELECT max(dt) AS last_dt FROM ${hivevar:db}.anomalies) latest
WHERE a.keyType = 'merchant'
  AND a.dt > CAST(date_sub(CAST(latest.last_dt AS DATE), 7) AS STRING)
GROUP BY a.key;
