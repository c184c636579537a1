-- A snapshot's body is kept only when it is evidence (it changed an alert, or was stored without evaluation); every
-- accepted snapshot still has its row (dedup on host + snapshot id, arrival history). SQLite cannot drop NOT NULL
-- from a column, so the table is rebuilt with its rows.
CREATE TABLE snapshots_v7 (
  host        TEXT NOT NULL,
  snapshot_id TEXT NOT NULL,
  taken_at    TEXT NOT NULL,
  received_at TEXT NOT NULL,
  body        TEXT,
  PRIMARY KEY (host, snapshot_id)
);
INSERT INTO snapshots_v7 (host, snapshot_id, taken_at, received_at, body) SELECT host, snapshot_id, taken_at, received_at, body FROM snapshots;
DROP TABLE snapshots;
ALTER TABLE snapshots_v7 RENAME TO snapshots;
CREATE INDEX snapshots_host_taken_at_id ON snapshots (host, taken_at, snapshot_id);
