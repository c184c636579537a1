-- Notifications: the outbox (deliveries still to make), the dedup keys already delivered, the notification log
-- (who was told what, when), the timing state of alert groups, and silences.
-- Plain SQLite only (D1 accepts it): no PRAGMA, no BEGIN/COMMIT, one statement per `;`. Times are ISO 8601 UTC text.

-- Deliveries to make, written in the same transaction as the alert change that caused them. dedup_key is UNIQUE:
-- the store skips an item whose key is already queued here or listed in notify_sent (at most once).
CREATE TABLE outbox (
  id              TEXT NOT NULL PRIMARY KEY,
  receiver        TEXT NOT NULL,
  channel_key     TEXT NOT NULL,
  group_key       TEXT NOT NULL,
  dedup_key       TEXT NOT NULL UNIQUE,
  payload         TEXT NOT NULL,
  attempts        INTEGER NOT NULL CHECK (typeof(attempts) = 'integer' AND attempts >= 0),
  next_attempt_at TEXT NOT NULL,
  created_at      TEXT NOT NULL
);

-- dueOutbox: next_attempt_at <= now, ordered by next_attempt_at, created_at.
CREATE INDEX outbox_due ON outbox (next_attempt_at, created_at, id);

-- Dedup keys of completed outbox items (delivered or given up); entries older than 7 days are pruned on completion.
CREATE TABLE notify_sent (
  dedup_key TEXT NOT NULL PRIMARY KEY,
  sent_at   TEXT NOT NULL
);

CREATE INDEX notify_sent_sent_at ON notify_sent (sent_at);

-- Every notification attempt (queued, sent, failed, retried, silenced, inhibited), append-only. seq (the rowid)
-- orders entries with the same `at` by insertion; fingerprints is the JSON array as given.
CREATE TABLE notification_log (
  seq          INTEGER PRIMARY KEY,
  id           TEXT NOT NULL UNIQUE,
  at           TEXT NOT NULL,
  receiver     TEXT NOT NULL,
  group_key    TEXT NOT NULL,
  fingerprints TEXT NOT NULL CHECK (json_type(fingerprints) = 'array'),
  status       TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'retried', 'silenced', 'inhibited')),
  detail       TEXT NOT NULL
);

CREATE INDEX notification_log_at ON notification_log (at, seq);

CREATE INDEX notification_log_receiver_at ON notification_log (receiver, at, seq);

-- One row per (fingerprint, log entry): GET /v1/notifications?fingerprint= walks this index instead of scanning JSON.
CREATE TABLE notification_log_fingerprints (
  fingerprint TEXT NOT NULL,
  log_seq     INTEGER NOT NULL REFERENCES notification_log (seq),
  PRIMARY KEY (fingerprint, log_seq)
);

-- When each alert group was last notified at each receiver (group_interval, repeat_interval and its backoff).
CREATE TABLE group_state (
  receiver     TEXT NOT NULL,
  group_key    TEXT NOT NULL,
  last_digest  TEXT NOT NULL,
  last_sent_at TEXT NOT NULL,
  repeats      INTEGER NOT NULL CHECK (typeof(repeats) = 'integer' AND repeats >= 0),
  PRIMARY KEY (receiver, group_key)
);

-- Silences: matchers is a JSON array of {name, value, isRegex, isEqual}; expired_at is set when ended early.
CREATE TABLE silences (
  id                TEXT NOT NULL PRIMARY KEY,
  matchers          TEXT NOT NULL CHECK (json_type(matchers) = 'array'),
  created_by        TEXT NOT NULL,
  comment           TEXT NOT NULL,
  starts_at         TEXT NOT NULL,
  ends_at           TEXT NOT NULL,
  expire_on_resolve INTEGER NOT NULL CHECK (expire_on_resolve IN (0, 1)),
  created_at        TEXT NOT NULL,
  expired_at        TEXT
);

CREATE INDEX silences_ends_at ON silences (ends_at);
