-- Decisions for analysts: snake_case, the event day as event_date (the partition: a filter on it
-- reads only those days; one on to_date(event_time) reads every day), amount with its currency.
-- reasons and extra_fields are an array and a map: Impala shows them in a select list from 4.1 on.
CREATE VIEW IF NOT EXISTS ${hivevar:db}.decisions (
  event_id      COMMENT 'Unique id from the online tier; duplicates dropped by ingest',
  actor_id      COMMENT 'Card or account id, byte for byte as sent (never a clear card number)',
  event_time    COMMENT 'Transaction time, a UTC instant',
  channel       COMMENT 'POS, WEB, ATM, ... as sent by the online tier',
  amount        COMMENT 'Amount in units of currency: add up only within one currency (region_currency_daily), else use USD',
  currency      COMMENT 'ISO 4217 code of amount',
  merchant_id   COMMENT 'Merchant id; NULL for transfers and cash',
  mcc           COMMENT 'Merchant category code (ISO 18245)',
  country       COMMENT 'ISO 3166-1 alpha-2 country of the transaction',
  region        COMMENT 'Region or state (ISO 3166-2 where known)',
  city          COMMENT 'City or location cell',
  lat           COMMENT 'Latitude, degrees',
  lon           COMMENT 'Longitude, degrees',
  ip            COMMENT 'Client IP address (web channel)',
  device_id     COMMENT 'Device id of the client (web channel)',
  decision      COMMENT 'APPROVED, DENIED or REVIEW',
  reasons       COMMENT 'Reason codes of the decision (an empty list reads as NULL in Hive)',
  score         COMMENT 'Risk score of the online tier, 0..1',
  rules_version COMMENT 'Version of the online rules that decided',
  decided_at    COMMENT 'When the online tier decided, a UTC instant',
  extra_fields  COMMENT 'Fields outside the contract, kept (card numbers masked)',
  ingest_run_id COMMENT 'The ingest run that published the row',
  event_date    COMMENT 'UTC day of event_time, YYYY-MM-DD: filter on it and only those days are read'
)
COMMENT 'Decision events of the online tier, deduplicated and validated, one row per event_id'
AS SELECT
  eventId, actorId, eventTime, channel, amount, currency, merchantId, mcc, country, region, city,
  lat, lon, ip, deviceId, decision, reasons, score, rulesVersion, decidedAt, extraFields,
  ingestRunId, dt
FROM ${hivevar:db}_files.decisions;
