-- Money by region, day and currency: amounts add up within one currency only.
CREATE VIEW IF NOT EXISTS ${hivevar:db}.region_currency_daily (
  event_date COMMENT 'UTC day of the decisions (the decisions partition: filters on it prune)',
  region     COMMENT 'Region of the transactions; (none) when not sent',
  currency   COMMENT 'ISO 4217 code of amount',
  decisions  COMMENT 'Decisions of every kind in this currency',
  amount     COMMENT 'Sum of the amounts, in units of currency',
  amount_usd COMMENT 'The same converted to US dollars at the reference rates; NULL without a rate'
)
COMMENT 'Decisions and amount by region, day and currency, with the US-dollar equivalent'
AS SELECT
  d.event_date,
  coalesce(d.region, '(none)'),
  d.currency,
  count(*),
  sum(d.amount),
  sum(CAST(d.amount / r.units_per_usd AS DECIMAL(18,2)))
FROM ${hivevar:db}.decisions d
LEFT JOIN ${hivevar:db}.reference_rates r ON d.currency = r.currency
GROUP BY d.event_date, coalesce(d.region, '(none)'), d.currency;
