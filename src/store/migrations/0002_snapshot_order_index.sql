-- Pruning orders a host's snapshots by (taken_at, snapshot_id); an index in exactly that order lets SQLite walk it
-- instead of sorting the host's snapshots on every insert (the prune query ran on each POST /v1/snapshots).
DROP INDEX snapshots_host_taken_at;
CREATE INDEX snapshots_host_taken_at_id ON snapshots (host, taken_at, snapshot_id);
