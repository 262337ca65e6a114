-- Answers: how is typical daily spend (30-day mean over active days) spread across actors, from
-- their latest profiles? Buckets of powers of ten in currency units.
SELECT
  CASE
    WHEN daily_spend_mean_30_usd IS NULL OR active_days_30 = 0 THEN '0 (inactive 30 days)'
    WHEN daily_spend_mean_30_usd < 10 THEN '[0, 10)'
    WHEN daily_spend_mean_30_usd < 100 THEN '[10, 100)'
    WHEN daily_spend_mean_30_usd < 1000 THEN '[100, 1000)'
    ELSE '1000 and up'
  END AS daily_spend,
  count(*) AS actors
FROM ${hivevar:db}.profile_latest
GROUP BY
  CASE
    WHEN daily_spend_mean_30_usd IS NULL OR active_days_30 = 0 THEN '0 (inactive 30 days)'
    WHEN daily_spend_mean_30_usd < 10 THEN '[0, 10)'
    WHEN daily_spend_mean_30_usd < 100 THEN '[10, 100)'
    WHEN daily_spend_mean_30_usd < 1000 THEN '[100, 1000)'
    ELSE '1000 and up'
  END
ORDER BY daily_spend
