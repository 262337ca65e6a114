-- One row per committed run of every job, with its reconciliation: records in, out, quarantined and
-- duplicates dropped, as each job's manifest names them.
CREATE VIEW IF NOT EXISTS ${hivevar:db}.run_audit (
  job          COMMENT 'ingest, profiles, anomalies, load or backtests',
  run_id       COMMENT 'The run (ids sort in commit order)',
  started_at   COMMENT 'When the run started, UTC',
  duration_ms  COMMENT 'How long it ran, milliseconds',
  mode         COMMENT 'full or incremental (profiles), or the engine',
  records_in   COMMENT 'Records read',
  records_out  COMMENT 'Records written',
  quarantined  COMMENT 'Records quarantined (ingest)',
  duplicates   COMMENT 'Duplicates dropped, within the run and of published rows (ingest)',
  balanced     COMMENT 'true when in = out + quarantined + duplicates + lost to damage',
  manifest     COMMENT 'The whole manifest, JSON'
)
COMMENT 'Committed runs of every job with their reconciliation counts'
AS SELECT
  job,
  get_json_object(manifest, '$.runId') AS run_id,
  CAST(regexp_replace(regexp_replace(get_json_object(manifest, '$.startedAt'), 'T', ' '), 'Z', '') AS TIMESTAMP) AS started_at,
  CAST(get_json_object(manifest, '$.durationMs') AS BIGINT) AS duration_ms,
  coalesce(get_json_object(manifest, '$.mode'), get_json_object(manifest, '$.engine')) AS mode,
  CAST(CASE job
    WHEN 'ingest' THEN get_json_object(manifest, '$.counts.RECORDS_READ')
    WHEN 'load' THEN get_json_object(manifest, '$.profiles.recordsRead')
    ELSE get_json_object(manifest, '$.eventsRead') END AS BIGINT) AS records_in,
  CAST(CASE job
    WHEN 'ingest' THEN get_json_object(manifest, '$.counts.NEW_ROWS')
    WHEN 'profiles' THEN get_json_object(manifest, '$.actorsWritten')
    WHEN 'anomalies' THEN get_json_object(manifest, '$.anomalies')
    WHEN 'load' THEN get_json_object(manifest, '$.profiles.rows')
    WHEN 'backtests' THEN get_json_object(manifest, '$.rows') END AS BIGINT) AS records_out,
  CAST(CASE job WHEN 'ingest' THEN get_json_object(manifest, '$.counts.QUARANTINED') END AS BIGINT) AS quarantined,
  CAST(CASE job WHEN 'ingest' THEN
    CAST(get_json_object(manifest, '$.counts.DUPLICATES_IN_RUN') AS BIGINT)
    + CAST(get_json_object(manifest, '$.counts.DUPLICATES_OF_PUBLISHED') AS BIGINT) END AS BIGINT) AS duplicates,
  get_json_object(manifest, '$.reconciliation.balanced') AS balanced,
  manifest
FROM ${hivevar:db}_files.run_manifests;
