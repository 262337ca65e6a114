-- Per-actor behavioural profile snapshots (profiles job; core/src/main/avro/ActorProfile.avsc documents
-- every field's exact definition). One partition per snapshot day: as_of=YYYY-MM-DD.
-- Money is integer US cents (converted at core's reference rates); spend windows end at as_of (UTC).
CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:db}_files.profiles (
  actorId            STRING    COMMENT 'Card or account id, as in decisions',
  asOf               DATE      COMMENT 'The snapshot covers every event before the end (24:00 UTC) of this day',
  firstSeen          TIMESTAMP COMMENT 'Earliest event_time of any decision',
  lastSeen           TIMESTAMP COMMENT 'Latest event_time of any decision',
  eventCount         BIGINT    COMMENT 'Decisions of every kind, all time',
  unconvertedCount   BIGINT    COMMENT 'Accepted transactions in a currency without a reference rate: counted, in no money figure',
  byDecision         ARRAY<STRUCT<`key`:STRING, `count`:BIGINT, sumCents:BIGINT>> COMMENT 'Count and US cents per decision, all time',
  byChannel          ARRAY<STRUCT<`key`:STRING, `count`:BIGINT, sumCents:BIGINT>> COMMENT 'Count and US cents per channel, all decisions, all time',
  amount             STRUCT<`count`:BIGINT, sumCents:BIGINT, minCents:BIGINT, maxCents:BIGINT,
                            meanCents:DOUBLE, medianCents:BIGINT, p95Cents:BIGINT,
                            histogram:ARRAY<STRUCT<`index`:INT, `count`:BIGINT>>> COMMENT 'Per-transaction amount statistics in US cents, accepted transactions, all time',
  dailySpend         ARRAY<STRUCT<`day`:DATE, `count`:INT, sumCents:BIGINT, hours:INT>> COMMENT 'Spend per UTC day in US cents for the 90 days up to as_of, days with spend only (hours: bit h set = a transaction in hour h UTC)',
  spend30            STRUCT<activeDays:INT, totalCents:BIGINT, meanCents:DOUBLE, medianCents:BIGINT, p95Cents:BIGINT> COMMENT 'Daily spend in US cents over the 30 days up to as_of; days without spend not averaged in',
  spend90            STRUCT<activeDays:INT, totalCents:BIGINT, meanCents:DOUBLE, medianCents:BIGINT, p95Cents:BIGINT> COMMENT 'Daily spend in US cents over the 90 days up to as_of, as spend30',
  locations          ARRAY<STRUCT<country:STRING, region:STRING, city:STRING, lat:DOUBLE, lon:DOUBLE,
                                  lastSeen:TIMESTAMP, lastEventId:STRING>> COMMENT 'The 20 most recently used distinct places, most recent first',
  ips                ARRAY<STRUCT<ip:STRING, lastSeen:TIMESTAMP>> COMMENT 'The 20 most recently used distinct IP addresses, most recent first',
  lastPlace          STRUCT<`time`:TIMESTAMP, eventId:STRING, country:STRING, region:STRING, city:STRING,
                            lat:DOUBLE, lon:DOUBLE> COMMENT 'The latest accepted event with coordinates (impossible travel)',
  mcc                ARRAY<STRUCT<`key`:STRING, `count`:BIGINT>> COMMENT 'Accepted transactions per merchant category code, all time',
  regions            ARRAY<STRUCT<`key`:STRING, `count`:BIGINT>> COMMENT 'Accepted transactions per region, all time',
  hourOfDay          ARRAY<BIGINT> COMMENT '24 counts of accepted transactions, hour 0..23 UTC, all time',
  homeRegion         STRING    COMMENT 'The region with the most accepted transactions; NULL without any',
  dailySpendThresholdCents                 BIGINT COMMENT 'Daily spend (US cents) above which a new transaction is unusual',
  newLocationDailySpendThresholdCents      BIGINT COMMENT 'The lower threshold (US cents) at a place not in locations'
)
COMMENT 'Actor profile snapshots (US cents); partitioned by as_of, the last day a snapshot covers'
PARTITIONED BY (as_of STRING COMMENT 'The last UTC day the snapshot covers, YYYY-MM-DD')
STORED AS PARQUET
LOCATION '${hivevar:root}/warehouse/profiles';
