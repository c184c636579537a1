-- The usage history (src/usage/history.ts): GPU-seconds each user held on each host, and the part of them held in
-- idle containers, per time bucket. Two resolutions written side by side at ingest (each evaluation adds into the
-- buckets its interval overlaps): 5-minute buckets (step_s 300) kept 48 h, hourly buckets (step_s 3600) kept
-- 90 days (Store.pruneUsage). start_s is the bucket's start in epoch seconds, UTC, a multiple of step_s.
CREATE TABLE usage_history (
  step_s            INTEGER NOT NULL CHECK (step_s IN (300, 3600)),
  start_s           INTEGER NOT NULL CHECK (start_s % step_s = 0),
  host              TEXT NOT NULL,
  user              TEXT NOT NULL,
  gpu_seconds       REAL NOT NULL CHECK (gpu_seconds >= 0),
  idle_gpu_seconds  REAL NOT NULL CHECK (idle_gpu_seconds >= 0 AND idle_gpu_seconds <= gpu_seconds + 1e-6),
  PRIMARY KEY (step_s, start_s, host, user)
);

CREATE INDEX usage_history_user ON usage_history (step_s, user, start_s);
