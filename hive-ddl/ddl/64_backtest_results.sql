-- The latest backtest run (the partition with the latest last day), summed over its days: precision
-- and recall per rule and threshold k.
CREATE VIEW IF NOT EXISTS ${hivevar:db}.backtest_results (
  run_to      COMMENT 'The last day the run replayed',
  rule        COMMENT 'The rule',
  k           COMMENT 'The threshold multiplier',
  days        COMMENT 'Days replayed',
  tp          COMMENT 'Labelled fraud events flagged',
  fp          COMMENT 'Other events flagged',
  fn          COMMENT 'Labelled fraud events let through',
  tn          COMMENT 'Other events let through',
  `precision` COMMENT 'tp / (tp + fp); NULL without flags',
  recall      COMMENT 'tp / (tp + fn); NULL without labels'
)
COMMENT 'Latest backtest: precision and recall per rule and k over the replayed days'
AS SELECT
  b.run_to AS run_to,
  b.rule,
  b.k,
  count(*) AS days,
  sum(b.tp) AS tp,
  sum(b.fp) AS fp,
  sum(b.fn) AS fn,
  sum(b.tn) AS tn,
  CASE WHEN sum(b.tp) + sum(b.fp) > 0 THEN sum(b.tp) / (sum(b.tp) + sum(b.fp)) END AS `precision`,
  CASE WHEN sum(b.tp) + sum(b.fn) > 0 THEN sum(b.tp) / (sum(b.tp) + sum(b.fn)) END AS recall
FROM ${hivevar:db}.backtests b
CROSS JOIN (SELECT max(run_to) AS last_to FROM ${hivevar:db}.backtests) latest
WHERE b.run_to = latest.last_to
GROUP BY b.run_to, b.rule, b.k;
