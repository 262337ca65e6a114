-- Daily volume and decline rate by region (decisions DENIED / all decisions).
CREATE VIEW IF NOT EXISTS ${hivevar:db}.region_daily
COMMENT 'Decisions, distinct actors, declines, decline rate and amount by region and day'
AS SELECT
  dt,
  coalesce(region, '(none)') AS region,
  count(*) AS decisions,
  count(DISTINCT actorId) AS actors,
  sum(CASE WHEN decision = 'DENIED' THEN 1 ELSE 0 END) AS declines,
  sum(CASE WHEN decision = 'DENIED' THEN 1 ELSE 0 END) / count(*) AS decline_rate,
  sum(amount) AS amount
FROM ${hivevar:db}.decisions
GROUP BY dt, coalesce(region, '(none)');
