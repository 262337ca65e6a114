-- Why records were quarantined, by landing day.
CREATE VIEW IF NOT EXISTS ${hivevar:db}.quarantine_reasons_daily (
  landing_date COMMENT 'UTC landing day (the quarantine partition)',
  reason       COMMENT 'The first problem of the record',
  records      COMMENT 'Records quarantined',
  source_files COMMENT 'Distinct landing files they came from'
)
COMMENT 'Quarantined records by landing day and reason'
AS SELECT
  landing_date,
  reason,
  count(*),
  count(DISTINCT source_file)
FROM ${hivevar:db}.quarantine
GROUP BY landing_date, reason;
