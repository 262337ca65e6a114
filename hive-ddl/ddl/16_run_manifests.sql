-- The run audit: every committed run's manifest (one JSON object per line, one file per run) under
-- warehouse/_manifests/<job>/. Partitions are registered with explicit locations (the directories
-- are named by job, not job=…). Read through the run_audit view.
CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:db}.run_manifests (
  manifest STRING COMMENT 'the run''s manifest as JSON: get_json_object(manifest, ''$.runId'')'
)
COMMENT 'One row per committed run of each job'
PARTITIONED BY (job STRING)
ROW FORMAT DELIMITED LINES TERMINATED BY '\n'
STORED AS TEXTFILE
LOCATION '${hivevar:root}/warehouse/_manifests';
