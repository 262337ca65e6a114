-- Per-actor behavioural profile snapshots (profiles job; core/src/main/avro/ActorProfile.avsc documents
-- every field's exact definition). One partition per snapshot day: as_of=YYYY-MM-DD.
-- Amounts are integer cents; spend windows end at as_of (UTC days).
CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:db}.profiles (
  actorId            STRING,
  asOf               DATE,
  firstSeen          TIMESTAMP,
  lastSeen           TIMESTAMP,
  eventCount         BIGINT,
  unconvertedCount   BIGINT COMMENT 'events in a currency without a rate, counted but not summed',
  byDecision         ARRAY<STRUCT<`key`:STRING, `count`:BIGINT, sumCents:BIGINT>>,
  byChannel          ARRAY<STRUCT<`key`:STRING, `count`:BIGINT, sumCents:BIGINT>>,
  amount             STRUCT<`count`:BIGINT, sumCents:BIGINT, minCents:BIGINT, maxCents:BIGINT,
                            meanCents:DOUBLE, medianCents:BIGINT, p95Cents:BIGINT,
                            histogram:ARRAY<STRUCT<`index`:INT, `count`:BIGINT>>>,
  dailySpend         ARRAY<STRUCT<`day`:DATE, `count`:INT, sumCents:BIGINT, hours:INT>>,
  spend30            STRUCT<activeDays:INT, totalCents:BIGINT, meanCents:DOUBLE, medianCents:BIGINT, p95Cents:BIGINT>,
  spend90            STRUCT<activeDays:INT, totalCents:BIGINT, meanCents:DOUBLE, medianCents:BIGINT, p95Cents:BIGINT>,
  locations          ARRAY<STRUCT<country:STRING, region:STRING, city:STRING, lat:DOUBLE, lon:DOUBLE,
                                  lastSeen:TIMESTAMP, lastEventId:STRING>>,
  ips                ARRAY<STRUCT<ip:STRING, lastSeen:TIMESTAMP>>,
  lastPlace          STRUCT<`time`:TIMESTAMP, eventId:STRING, country:STRING, region:STRING, city:STRING,
                            lat:DOUBLE, lon:DOUBLE>,
  mcc                ARRAY<STRUCT<`key`:STRING, `count`:BIGINT>>,
  regions            ARRAY<STRUCT<`key`:STRING, `count`:BIGINT>>,
  hourOfDay          ARRAY<BIGINT> COMMENT '24 counts, hour 0..23 UTC',
  homeRegion         STRING,
  dailySpendThresholdCents            BIGINT,
  newLocationDailySpendThresholdCents BIGINT
)
COMMENT 'Actor profile snapshots; partitioned by as_of (the last day the snapshot covers)'
PARTITIONED BY (as_of STRING)
STORED AS PARQUET
LOCATION '${hivevar:root}/warehouse/profiles';
