-- The latest profile of each actor (from the newest snapshot that holds the actor), flattened to the
-- fields analysts look at first. Amounts in currency units (cents / 100).
CREATE VIEW IF NOT EXISTS ${hivevar:db}.profile_latest
COMMENT 'Latest profile per actor, flattened'
AS SELECT
  actorId AS actor_id,
  as_of,
  firstSeen AS first_seen,
  lastSeen AS last_seen,
  eventCount AS events,
  homeRegion AS home_region,
  spend30.activeDays AS active_days_30,
  spend30.meanCents / 100 AS daily_spend_mean_30,
  spend30.medianCents / 100 AS daily_spend_median_30,
  spend30.p95Cents / 100 AS daily_spend_p95_30,
  spend90.meanCents / 100 AS daily_spend_mean_90,
  amount.medianCents / 100 AS amount_median,
  amount.p95Cents / 100 AS amount_p95,
  dailySpendThresholdCents / 100 AS daily_spend_threshold,
  newLocationDailySpendThresholdCents / 100 AS new_location_daily_spend_threshold,
  -- Hive reads an empty array of these files as NULL, and size(NULL) is -1
  greatest(size(locations), 0) AS distinct_locations,
  greatest(size(ips), 0) AS distinct_ips
FROM (
  SELECT p.*, row_number() OVER (PARTITION BY actorId ORDER BY as_of DESC) AS recency
  FROM ${hivevar:db}.profiles p
) ranked
WHERE recency = 1;
