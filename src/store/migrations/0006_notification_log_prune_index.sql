-- Pruning the notification log deletes its fingerprint rows by log_seq: without this index each prune scanned the table.
CREATE INDEX notification_log_fingerprints_seq ON notification_log_fingerprints (log_seq);
