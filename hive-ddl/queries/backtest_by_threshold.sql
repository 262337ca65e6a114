-- Answers: in the latest backtest, how do precision and recall of each online rule move with k?
SELECT rule, k, tp, fp, fn, round(`precision`, 4) AS `precision`, round(recall, 4) AS recall
FROM ${hivevar:db}.backtest_results
ORDER BY rule, k
