-- Answers: which injected incidents of the sample data did the anomaly job flag (an anomaly on the
-- incident's key in a window overlapping it), and at what worst severity?
SELECT i.incident_id, i.scenario, i.key_type, i.key, i.events,
       count(a.key) AS anomalies,
       max(CASE a.severity WHEN 'HIGH' THEN 3 WHEN 'MEDIUM' THEN 2 WHEN 'LOW' THEN 1 ELSE 0 END) AS worst
FROM ${hivevar:db}.sample_incidents i
LEFT JOIN ${hivevar:db}.anomalies a
  ON a.key_type = i.key_type AND a.key = i.key
 AND a.window_start < i.window_end AND a.window_end > i.window_start
GROUP BY i.incident_id, i.scenario, i.key_type, i.key, i.events
ORDER BY i.incident_id
