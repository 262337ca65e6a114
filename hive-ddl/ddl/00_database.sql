-- The analysts' database. Variables (beeline --hivevar, or bin/fraud-batch hive apply --root/--database):
--   ${hivevar:db}    database name (fraud)
--   ${hivevar:root}  storage root URI, e.g. hdfs://nameservice1/data/fraud or file:///home/me/fraud-data
CREATE DATABASE IF NOT EXISTS ${hivevar:db}
COMMENT 'fraud-batch: decisions, quarantine, profiles, anomalies, risk context, backtests, run audit'
