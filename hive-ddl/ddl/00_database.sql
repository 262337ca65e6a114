-- The analysts' database: snake_case views over the tables, flat, money as DECIMAL. Variables
-- (beeline --hivevar, or bin/fraud-batch hive apply --root/--database):
--   ${hivevar:db}    database name (fraud); the tables over the files live in ${db}_files
--   ${hivevar:root}  storage root URI, e.g. hdfs://nameservice1/data/fraud or file:///home/me/fraud-data
CREATE DATABASE IF NOT EXISTS ${hivevar:db}
COMMENT 'fraud-batch for analysts: decisions, quarantine, profiles, anomalies, risk context, backtests, run audit (snake_case views)'
