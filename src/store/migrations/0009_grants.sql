-- Grants: an admin exempts one user from one rule (or every rule: `*`) until a time. Read-only grants from
-- lifecycle-exemptions.yaml are not stored here (they come from the loaded limits config).
-- Plain SQLite only (D1 accepts it): no PRAGMA, no BEGIN/COMMIT, one statement per `;`. Times are ISO 8601 UTC text
-- as toISOString writes them, so they compare as text; revoked_at is set when an admin revoked the grant.
CREATE TABLE grants (
  id          TEXT NOT NULL PRIMARY KEY,
  user        TEXT NOT NULL,
  rule        TEXT NOT NULL,
  until       TEXT NOT NULL,
  reason      TEXT NOT NULL CHECK (length(trim(reason)) > 0),
  created_by  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  revoked_at  TEXT,
  source      TEXT NOT NULL CHECK (source IN ('admin', 'lifecycle-exemptions'))
);

CREATE INDEX grants_user_rule ON grants (user, rule);
