-- Answers: why does ingest reject records, and how many from how many landing files?
SELECT reason, sum(records) AS records, sum(source_files) AS file_days, count(*) AS days
FROM ${hivevar:db}.quarantine_reasons_daily
GROUP BY reason
ORDER BY records DESC, reason
