-- Sample-data ground truth, when the data came from the generator or an importer (labels/decisions/):
-- labels.csv (one row per fraudulent event) and incidents.csv (one row per incident) share the
-- directory with summary.json, so the raw table has the widest column set and the views tell the
-- files' rows apart by their shape (no file-name virtual column: Impala has none).
CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:db}_files.sample_labels_raw (
  c1 STRING COMMENT 'labels.csv: event id; incidents.csv: incident id',
  c2 STRING COMMENT 'scenario',
  c3 STRING COMMENT 'labels.csv: incident id; incidents.csv: key type',
  c4 STRING COMMENT 'labels.csv: actor id; incidents.csv: key',
  c5 STRING COMMENT 'labels.csv: event time; incidents.csv: window start (ISO-8601 UTC)',
  c6 STRING COMMENT 'incidents.csv: window end (ISO-8601 UTC)',
  c7 STRING COMMENT 'incidents.csv: actors',
  c8 STRING COMMENT 'incidents.csv: events'
)
COMMENT 'labels.csv and incidents.csv of the sample data, unparsed (read the sample_labels and sample_incidents views)'
ROW FORMAT DELIMITED FIELDS TERMINATED BY ','
STORED AS TEXTFILE
LOCATION '${hivevar:root}/labels/decisions'
TBLPROPERTIES ('skip.header.line.count' = '1');
