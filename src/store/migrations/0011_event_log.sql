-- The event log (src/events/event.ts): one stream of typed events, envelope {id, at, type, host?, user?, subject?,
-- details}. Replaces the reload-only service_events of 0010; its rows become config.reload / config.reload_failed
-- with details {by, summary, lines}. seq orders the stream (newest last) and is the cursor of GET /v1/events;
-- AUTOINCREMENT so a pruned seq is never handed out again. Pruned by age and by count (Store.pruneEvents).
CREATE TABLE service_events_new (
  seq      INTEGER PRIMARY KEY AUTOINCREMENT,
  id       TEXT NOT NULL UNIQUE,
  at       TEXT NOT NULL,
  type     TEXT NOT NULL CHECK (type GLOB '[a-z]*.[a-z]*'),
  host     TEXT,
  user     TEXT,
  subject  TEXT,
  details  TEXT NOT NULL CHECK (json_type(details) = 'object')
);

INSERT INTO service_events_new (seq, id, at, type, details)
  SELECT seq, id, at, CASE outcome WHEN 'ok' THEN 'config.reload' ELSE 'config.reload_failed' END, json_object('by', by, 'summary', summary, 'lines', json(details))
  FROM service_events ORDER BY seq;

DROP TABLE service_events;

ALTER TABLE service_events_new RENAME TO service_events;

CREATE INDEX service_events_at ON service_events (at, seq);
