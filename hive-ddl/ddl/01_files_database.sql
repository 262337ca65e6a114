-- The tables over the Parquet and text files the jobs publish, with the files' own column names
-- (the Avro schemas' camelCase fields) and nested columns; 'hive register' adds their partitions.
-- Analysts read the views of ${db}, which rename, flatten and convert them.
CREATE DATABASE IF NOT EXISTS ${hivevar:db}_files
COMMENT 'fraud-batch tables over the published files (Avro field names, nested types): read the views of the analysts'' database instead'
