-- Answers: on the latest day, which regions declined the largest share of their decisions?
-- (region_daily view; regions with at least 20 decisions)
SELECT r.region, r.decisions, r.declines, round(r.decline_rate, 4) AS decline_rate, r.actors
FROM ${hivevar:db}.region_daily r
CROSS JOIN (SELECT max(event_date) AS last_day FROM ${hivevar:db}.decisions) latest
WHERE r.event_date = latest.last_day AND r.decisions >= 20
ORDER BY decline_rate DESC, r.region
LIMIT 10
