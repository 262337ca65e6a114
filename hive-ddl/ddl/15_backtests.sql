-- Rule backtests (backtest job): per day, rule and threshold k, the confusion counts against the
-- sample labels. One partition per run, named by its last replayed day: to=YYYY-MM-DD. The job
-- writes these columns under these names (read by name).
CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:db}_files.backtests (
  day         DATE    COMMENT 'The replayed UTC day',
  rule        STRING  COMMENT 'AMOUNT_OVER_PROFILE, UNFAMILIAR_HOUR, IMPOSSIBLE_TRAVEL, ANY, PLAIN_3X_30D (reference), ...',
  k           DOUBLE  COMMENT 'The threshold multiplier replayed',
  tp          BIGINT  COMMENT 'Labelled fraud events the rule flagged',
  fp          BIGINT  COMMENT 'Other events the rule flagged',
  fn          BIGINT  COMMENT 'Labelled fraud events the rule let through',
  tn          BIGINT  COMMENT 'Other events the rule let through',
  `precision` DOUBLE  COMMENT 'tp / (tp + fp); NULL without labels or flags',
  recall      DOUBLE  COMMENT 'tp / (tp + fn); NULL without labels'
)
COMMENT 'Rule backtest confusion counts by day, rule and k; partitioned by the run''s last day'
PARTITIONED BY (`to` STRING COMMENT 'The last day the run replayed, YYYY-MM-DD')
STORED AS PARQUET
LOCATION '${hivevar:root}/warehouse/backtests';
