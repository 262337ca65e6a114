-- The latest profile of each actor (from the newest snapshot that holds the actor), flattened to the
-- fields analysts look at first, from the profiles view (flat: Impala's * keeps every column).
-- Money in US dollars as DECIMAL.
CREATE VIEW IF NOT EXISTS ${hivevar:db}.profile_latest (
  actor_id                  COMMENT 'Card or account id',
  as_of                     COMMENT 'The snapshot the row comes from: the last UTC day it covers',
  first_seen                COMMENT 'Earliest event of the actor, UTC',
  last_seen                 COMMENT 'Latest event of the actor, UTC',
  events                    COMMENT 'Decisions of every kind, all time',
  home_region               COMMENT 'Region with the most accepted transactions',
  active_days_30            COMMENT 'Days with spend in the 30 days up to as_of',
  daily_spend_mean_30_usd   COMMENT 'Mean daily spend over active days of the 30 days, USD',
  daily_spend_median_30_usd COMMENT 'Median daily spend over active days of the 30 days, USD',
  daily_spend_p95_30_usd    COMMENT '95th percentile daily spend over active days of the 30 days, USD',
  daily_spend_mean_90_usd   COMMENT 'Mean daily spend over active days of the 90 days, USD',
  amount_median_usd         COMMENT 'Median transaction amount, all time, USD',
  amount_p95_usd            COMMENT '95th percentile transaction amount, all time, USD',
  daily_spend_threshold_usd COMMENT 'Daily spend above which a new transaction is unusual, USD',
  new_location_daily_spend_threshold_usd COMMENT 'The same at a place the actor has not used, USD'
)
COMMENT 'Latest profile per actor, flattened; money in US dollars (DECIMAL)'
AS SELECT
  actor_id, as_of, first_seen, last_seen, event_count, home_region, spend30_active_days,
  spend30_mean_usd, spend30_median_usd, spend30_p95_usd, spend90_mean_usd, amount_median_usd,
  amount_p95_usd, daily_spend_threshold_usd, new_location_daily_spend_threshold_usd
FROM (
  SELECT p.*, row_number() OVER (PARTITION BY p.actor_id ORDER BY p.as_of DESC) AS recency
  FROM ${hivevar:db}.profiles p
) ranked
WHERE recency = 1;
