-- The run audit: every committed run's manifest (one JSON object per line, one file per run) under
-- warehouse/_manifests/<job>/. The directories are named by job, not job=…, so partitions are
-- registered with explicit locations by 'hive register' (Impala: through the shared metastore,
-- then REFRESH; RECOVER PARTITIONS cannot find them). Read through the run_audit view.
CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:db}_files.run_manifests (
  manifest STRING COMMENT 'The run''s manifest as JSON: get_json_object(manifest, ''$.runId'')'
)
COMMENT 'One row per committed run of each job: its manifest'
PARTITIONED BY (job STRING COMMENT 'ingest, profiles, anomalies, load or backtests')
ROW FORMAT DELIMITED LINES TERMINATED BY '\n'
STORED AS TEXTFILE
LOCATION '${hivevar:root}/warehouse/_manifests';
