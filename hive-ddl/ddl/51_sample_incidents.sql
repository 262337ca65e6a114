-- The sample incidents, parsed: one row per incident (the rows of incidents.csv: eight fields, the
-- fifth and sixth times, the last two counts).
CREATE VIEW IF NOT EXISTS ${hivevar:db}.sample_incidents (
  incident_id  COMMENT 'The incident, as sample_labels.incident_id',
  scenario     COMMENT 'The fraud scenario',
  key_type     COMMENT 'What the incident is keyed on: merchant, region or actor',
  key          COMMENT 'The merchant id, region or actor id',
  window_start COMMENT 'First event of the incident, UTC',
  window_end   COMMENT 'Last event of the incident, UTC',
  actors       COMMENT 'Distinct actors in the incident',
  events       COMMENT 'Events in the incident'
)
COMMENT 'Ground truth of sample data: each incident, its key and time span'
AS SELECT
  c1,
  c2,
  c3,
  c4,
  CAST(regexp_replace(regexp_replace(c5, 'T', ' '), 'Z', '') AS TIMESTAMP),
  CAST(regexp_replace(regexp_replace(c6, 'T', ' '), 'Z', '') AS TIMESTAMP),
  CAST(c7 AS INT),
  CAST(c8 AS INT)
FROM ${hivevar:db}_files.sample_labels_raw
WHERE c8 RLIKE '^[0-9]+$' AND c5 RLIKE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T';
