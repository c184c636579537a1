-- Enforcement actions (src/enforcement): planned once per alert episode, stage and type (the id), sent to their
-- host with each push reply while scheduled and due, closed by the probe's result (or expired by the service).
-- body: the PlannedAction as JSON; result: the ActionResult as JSON (NULL while open).
CREATE TABLE actions (
  id          TEXT NOT NULL PRIMARY KEY,
  host        TEXT NOT NULL,
  user        TEXT,
  state       TEXT NOT NULL CHECK (state IN ('awaiting-approval', 'scheduled', 'done', 'dry-run', 'vetoed', 'target-changed', 'failed', 'expired', 'refused')),
  body        TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  not_before  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  approved_by TEXT,
  approved_at TEXT,
  result      TEXT
);

CREATE INDEX actions_host_state_due ON actions (host, state, not_before);
CREATE INDEX actions_state_expires ON actions (state, expires_at);
CREATE INDEX actions_created ON actions (created_at);
