-- Rule backtests for analysts: per run, day, rule and k (backtest_results sums the latest run).
CREATE VIEW IF NOT EXISTS ${hivevar:db}.backtests (
  day         COMMENT 'The replayed UTC day',
  rule        COMMENT 'AMOUNT_OVER_PROFILE, UNFAMILIAR_HOUR, IMPOSSIBLE_TRAVEL, ANY, PLAIN_3X_30D (reference), ...',
  k           COMMENT 'The threshold multiplier replayed',
  tp          COMMENT 'Labelled fraud events the rule flagged',
  fp          COMMENT 'Other events the rule flagged',
  fn          COMMENT 'Labelled fraud events the rule let through',
  tn          COMMENT 'Other events the rule let through',
  `precision` COMMENT 'tp / (tp + fp); NULL without labels or flags',
  recall      COMMENT 'tp / (tp + fn); NULL without labels',
  run_to      COMMENT 'The last day the run replayed, YYYY-MM-DD (the partition)'
)
COMMENT 'Rule backtest confusion counts by run, day, rule and k'
AS SELECT day, rule, k, tp, fp, fn, tn, `precision`, recall, `to`
FROM ${hivevar:db}_files.backtests;
