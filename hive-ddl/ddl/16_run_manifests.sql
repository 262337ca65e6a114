-- The run audit: every committed run's manifest (one JSON object per line, one file per run) under
-- warehouse/_manifests/job=<job>/: 'hive register' adds the partitions, and Hive's MSCK REPAIR
-- TABLE or Impala's ALTER TABLE … RECOVER PARTITIONS find them too. Runs committed before
-- 2026-12-03 sit in _manifests/<job>/, which the jobs still read but no partition points at.
-- Read through the run_audit view.
CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:db}_files.run_manifests (
  manifest STRING COMMENT 'The run''s manifest as JSON: get_json_object(manifest, ''$.runId'')'
)
COMMENT 'One row per committed run of each job: its manifest'
PARTITIONED BY (job STRING COMMENT 'ingest, profiles, anomalies, load or backtests')
ROW FORMAT DELIMITED LINES TERMINATED BY '\n'
STORED AS TEXTFILE
LOCATION '${hivevar:root}/warehouse/_manifests';
