-- Sample-data ground truth, when the data came from the generator (labels/decisions/): labels.csv
-- (one row per fraudulent event) and incidents.csv (one row per injected incident) share the
-- directory, so the raw table has the widest column set and the views split it by file.
CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:db}.sample_labels_raw (
  c1 STRING, c2 STRING, c3 STRING, c4 STRING, c5 STRING, c6 STRING, c7 STRING, c8 STRING
)
COMMENT 'labels.csv and incidents.csv of the sample data, unparsed'
ROW FORMAT DELIMITED FIELDS TERMINATED BY ','
STORED AS TEXTFILE
LOCATION '${hivevar:root}/labels/decisions'
TBLPROPERTIES ('skip.header.line.count' = '1');
