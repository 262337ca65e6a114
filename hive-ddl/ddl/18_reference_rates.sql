-- The reference exchange rates every job converts money with (core's reference-rates.csv; DdlTest
-- checks this list equals it): units of the currency per US dollar. The views' amount_usd columns
-- are amount / units_per_usd. A deployment with its own rates file recreates this view from it.
CREATE VIEW IF NOT EXISTS ${hivevar:db}.reference_rates (
  currency      COMMENT 'ISO 4217 code',
  units_per_usd COMMENT 'Units of the currency per US dollar (fixed reference values, not market rates)'
)
COMMENT 'Reference exchange rates of the jobs: amount_usd = amount / units_per_usd'
AS SELECT 'USD' AS currency, CAST(1 AS DECIMAL(18,6)) AS units_per_usd
UNION ALL SELECT 'AUD', CAST(1.5 AS DECIMAL(18,6))
UNION ALL SELECT 'BRL', CAST(5 AS DECIMAL(18,6))
UNION ALL SELECT 'CAD', CAST(1.36 AS DECIMAL(18,6))
UNION ALL SELECT 'CHF', CAST(0.88 AS DECIMAL(18,6))
UNION ALL SELECT 'CNY', CAST(7.2 AS DECIMAL(18,6))
UNION ALL SELECT 'DKK', CAST(6.9 AS DECIMAL(18,6))
UNION ALL SELECT 'EUR', CAST(0.92 AS DECIMAL(18,6))
UNION ALL SELECT 'GBP', CAST(0.79 AS DECIMAL(18,6))
UNION ALL SELECT 'HKD', CAST(7.8 AS DECIMAL(18,6))
UNION ALL SELECT 'INR', CAST(83 AS DECIMAL(18,6))
UNION ALL SELECT 'JPY', CAST(150 AS DECIMAL(18,6))
UNION ALL SELECT 'KRW', CAST(1350 AS DECIMAL(18,6))
UNION ALL SELECT 'MXN', CAST(17 AS DECIMAL(18,6))
UNION ALL SELECT 'NOK', CAST(10.7 AS DECIMAL(18,6))
UNION ALL SELECT 'NZD', CAST(1.65 AS DECIMAL(18,6))
UNION ALL SELECT 'PLN', CAST(4 AS DECIMAL(18,6))
UNION ALL SELECT 'SEK', CAST(10.5 AS DECIMAL(18,6))
UNION ALL SELECT 'SGD', CAST(1.35 AS DECIMAL(18,6))
UNION ALL SELECT 'ZAR', CAST(18.5 AS DECIMAL(18,6));
