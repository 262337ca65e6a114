-- Answers: did every job's runs balance (records in = out + quarantined + duplicates), and how much
-- did each job move?
SELECT job, count(*) AS runs, sum(records_in) AS records_in, sum(records_out) AS records_out,
       sum(quarantined) AS quarantined, sum(duplicates) AS duplicates,
       sum(CASE WHEN balanced = 'false' THEN 1 ELSE 0 END) AS unbalanced_runs
FROM ${hivevar:db}.run_audit
GROUP BY job
ORDER BY job
