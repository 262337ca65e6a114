-- The sample labels, parsed: one row per fraudulent event (labels.csv).
CREATE VIEW IF NOT EXISTS ${hivevar:db}.sample_labels
COMMENT 'Ground truth of generated data: the events of each injected fraud incident'
AS SELECT
  c1 AS event_id,
  c2 AS scenario,
  c3 AS incident_id,
  c4 AS actor_id,
  CAST(regexp_replace(regexp_replace(c5, 'T', ' '), 'Z', '') AS TIMESTAMP) AS event_time
FROM ${hivevar:db}.sample_labels_raw
-- The header line is filtered here too: combined small files can defeat skip.header.line.count.
WHERE c1 <> 'eventId' AND INPUT__FILE__NAME LIKE '%/labels.csv';
