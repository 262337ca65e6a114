-- The sample labels, parsed: one row per fraudulent event (the rows of labels.csv: five fields, the
-- fifth a time; the header, incidents.csv's rows and summary.json's lines have another shape).
CREATE VIEW IF NOT EXISTS ${hivevar:db}.sample_labels (
  event_id    COMMENT 'The labelled event, as decisions.event_id',
  scenario    COMMENT 'The fraud scenario (generator) or the dataset''s label (importers)',
  incident_id COMMENT 'The incident the event belongs to',
  actor_id    COMMENT 'The actor of the event',
  event_time  COMMENT 'Time of the event, UTC'
)
COMMENT 'Ground truth of sample data: the events of each fraud incident'
AS SELECT
  c1,
  c2,
  c3,
  c4,
  CAST(regexp_replace(regexp_replace(c5, 'T', ' '), 'Z', '') AS TIMESTAMP)
FROM ${hivevar:db}_files.sample_labels_raw
WHERE c6 IS NULL AND c5 RLIKE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T';
