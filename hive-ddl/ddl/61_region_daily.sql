-- Daily volume, declines and money by region: decisions DENIED / all decisions; money only as US
-- dollars at the reference rates (one region trades in many currencies: region_currency_daily has
-- the amounts in each currency).
CREATE VIEW IF NOT EXISTS ${hivevar:db}.region_daily (
  event_date            COMMENT 'UTC day of the decisions (the decisions partition: filters on it prune)',
  region                COMMENT 'Region of the transactions; (none) when not sent',
  decisions             COMMENT 'Decisions of every kind',
  actors                COMMENT 'Distinct actors',
  declines              COMMENT 'Decisions DENIED',
  decline_rate          COMMENT 'declines / decisions',
  amount_usd            COMMENT 'Sum of the amounts converted to US dollars at the reference rates (reference_rates view)',
  unconverted_decisions COMMENT 'Decisions in a currency without a reference rate: in no amount_usd'
)
COMMENT 'Decisions, actors, declines, decline rate and US-dollar amount by region and day'
AS SELECT
  d.event_date,
  coalesce(d.region, '(none)'),
  count(*),
  count(DISTINCT d.actor_id),
  sum(CASE WHEN d.decision = 'DENIED' THEN 1 ELSE 0 END),
  sum(CASE WHEN d.decision = 'DENIED' THEN 1 ELSE 0 END) / count(*),
  sum(CAST(d.amount / r.units_per_usd AS DECIMAL(18,2))),
  sum(CASE WHEN r.currency IS NULL THEN 1 ELSE 0 END)
FROM ${hivevar:db}.decisions d
LEFT JOIN ${hivevar:db}.reference_rates r ON d.currency = r.currency
GROUP BY d.event_date, coalesce(d.region, '(none)');
