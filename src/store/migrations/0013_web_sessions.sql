-- The web view's sign-in (src/server/web/): sessions and per-user sign-in links. Only the SHA-256 (hex) of a session
-- id or a link key is stored, never the secret itself, so a copy of the database signs nobody in. Times are ISO 8601
-- UTC text as toISOString writes them, so they compare as text. Both tables are pruned once expired
-- (Store.pruneWebSessions, on the service's tick). A link stays usable until it expires (people click the link in a
-- notification more than once); last_used_at and uses record its use.
-- Plain SQLite only (D1 accepts it): no PRAGMA, no BEGIN/COMMIT, one statement per `;`.
CREATE TABLE web_sessions (
  id_sha256    TEXT NOT NULL PRIMARY KEY CHECK (length(id_sha256) = 64),
  viewer_kind  TEXT NOT NULL CHECK (viewer_kind IN ('admin', 'user')),
  viewer_name  TEXT NOT NULL CHECK (length(viewer_name) > 0),
  csrf_token   TEXT NOT NULL CHECK (length(csrf_token) > 0),
  created_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL
);

CREATE INDEX web_sessions_expires ON web_sessions (expires_at);

CREATE TABLE user_links (
  key_sha256    TEXT NOT NULL PRIMARY KEY CHECK (length(key_sha256) = 64),
  user          TEXT NOT NULL CHECK (length(user) > 0),
  created_by    TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  expires_at    TEXT NOT NULL,
  last_used_at  TEXT,
  uses          INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX user_links_expires ON user_links (expires_at);
