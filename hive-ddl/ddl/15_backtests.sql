-- Rule backtests (backtest job): per day, rule and threshold k, the confusion counts against the
-- sample labels. One partition per run, named by its last replayed day: to=YYYY-MM-DD.
CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:db}.backtests (
  day        DATE,
  rule       STRING,
  k          DOUBLE,
  tp         BIGINT,
  fp         BIGINT,
  fn         BIGINT,
  tn         BIGINT,
  `precision` DOUBLE COMMENT 'NULL without labels',
  recall     DOUBLE COMMENT 'NULL without labels'
)
COMMENT 'Rule backtest confusion counts by day, rule and k; partitioned by the run''s last day'
PARTITIONED BY (`to` STRING)
STORED AS PARQUET
LOCATION '${hivevar:root}/warehouse/backtests';
