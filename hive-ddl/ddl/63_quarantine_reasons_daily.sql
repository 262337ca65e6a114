-- Why records were quarantined, by landing day.
CREATE VIEW IF NOT EXISTS ${hivevar:db}.quarantine_reasons_daily
COMMENT 'Quarantined records by landing day and reason'
AS SELECT
  dt,
  reason,
  count(*) AS records,
  count(DISTINCT sourceFile) AS source_files
FROM ${hivevar:db}.quarantine
GROUP BY dt, reason;
