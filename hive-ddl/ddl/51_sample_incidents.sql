-- The sample incidents, parsed: one row per injected incident (incidents.csv).
CREATE VIEW IF NOT EXISTS ${hivevar:db}.sample_incidents
COMMENT 'Ground truth of generated data: each injected incident, its key and time span'
AS SELECT
  c1 AS incident_id,
  c2 AS scenario,
  c3 AS key_type,
  c4 AS key,
  CAST(regexp_replace(regexp_replace(c5, 'T', ' '), 'Z', '') AS TIMESTAMP) AS window_start,
  CAST(regexp_replace(regexp_replace(c6, 'T', ' '), 'Z', '') AS TIMESTAMP) AS window_end,
  CAST(c7 AS INT) AS actors,
  CAST(c8 AS INT) AS events
FROM ${hivevar:db}.sample_labels_raw
-- The header line is filtered here too: combined small files can defeat skip.header.line.count.
WHERE c1 <> 'incidentId' AND INPUT__FILE__NAME LIKE '%/incidents.csv';
