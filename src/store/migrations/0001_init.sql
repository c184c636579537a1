-- gpuwarden store schema, version 1.
-- Applied by `wrangler d1 migrations apply` (Workers + D1) and by src/store/sqlite/migrate.ts (Node + SQLite);
-- both record this file's name in the d1_migrations table, so either can take over a database from the other.
-- Plain SQLite only: no PRAGMA, no BEGIN/COMMIT (D1 refuses both), one statement per `;`.
-- Times are ISO 8601 UTC strings (they sort as text). JSON columns hold JSON text written by the service.

-- Recent HostSnapshots, bounded per host by the service (it prunes the oldest takenAt beyond a cap).
CREATE TABLE snapshots (
  host        TEXT NOT NULL,
  snapshot_id TEXT NOT NULL,
  taken_at    TEXT NOT NULL,
  received_at TEXT NOT NULL,
  body        TEXT NOT NULL,
  PRIMARY KEY (host, snapshot_id)
);

CREATE INDEX snapshots_host_taken_at ON snapshots (host, taken_at);

-- One row per host: what the engine keeps between snapshots (tracked is opaque JSON text).
CREATE TABLE hosts (
  host          TEXT NOT NULL PRIMARY KEY,
  last_seen_at  TEXT NOT NULL,
  last_taken_at TEXT NOT NULL,
  tracked       TEXT NOT NULL
);

-- Alert state (what is pending / firing / recently resolved), one row per fingerprint.
-- `user` is labels.user copied out so GET /v1/alerts?user= can use an index.
CREATE TABLE alerts (
  fingerprint     TEXT NOT NULL PRIMARY KEY,
  rule            TEXT NOT NULL,
  host            TEXT NOT NULL,
  user            TEXT,
  severity        TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  stage           TEXT,
  labels          TEXT NOT NULL CHECK (json_type(labels) = 'object'),
  annotations     TEXT NOT NULL CHECK (json_type(annotations) = 'object'),
  notify          TEXT NOT NULL CHECK (json_type(notify) = 'array'),
  state           TEXT NOT NULL CHECK (state IN ('pending', 'firing', 'resolved')),
  active_since    TEXT NOT NULL,
  fired_at        TEXT,
  resolved_at     TEXT,
  last_matched_at TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);

CREATE INDEX alerts_host ON alerts (host, fingerprint);

CREATE INDEX alerts_state ON alerts (state, updated_at);

CREATE INDEX alerts_rule ON alerts (rule);

CREATE INDEX alerts_user ON alerts (user);
