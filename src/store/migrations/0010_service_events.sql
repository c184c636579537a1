-- The service's own event log: each config reload (SIGHUP or POST /v1/reload), who or what triggered it, and what
-- came of it (rule counts before and after, or every problem that kept the old config). Append-only.
-- Plain SQLite only (D1 accepts it): no PRAGMA, no BEGIN/COMMIT, one statement per `;`. Times are ISO 8601 UTC text;
-- details is a JSON array of lines. seq (the rowid) orders events with the same `at` by insertion.
CREATE TABLE service_events (
  seq      INTEGER PRIMARY KEY,
  id       TEXT NOT NULL UNIQUE,
  at       TEXT NOT NULL,
  kind     TEXT NOT NULL CHECK (kind IN ('reload')),
  by       TEXT NOT NULL,
  outcome  TEXT NOT NULL CHECK (outcome IN ('ok', 'failed')),
  summary  TEXT NOT NULL,
  details  TEXT NOT NULL CHECK (json_type(details) = 'array')
);

CREATE INDEX service_events_at ON service_events (at, seq);
