-- Answers: which merchants had the most anomalous windows in the last seven scored days, and how bad?
SELECT merchant_id, anomalies, windows, high, medium, round(max_score, 2) AS max_score, metrics
FROM ${hivevar:db}.anomalous_merchants_7d
ORDER BY anomalies DESC, max_score DESC, merchant_id
LIMIT 10
