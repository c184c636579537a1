import type { Database, Statement } from 'better-sqlite3';
import { storedUserLink, storedWebSession, type SessionViewer, type StoredUserLink, type UserLink, type WebSession } from '../web-session.ts';

/** One web_sessions row as better-sqlite3 binds and returns it. */
export interface WebSessionRow {
  id_sha256: string;
  viewer_kind: string;
  viewer_name: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

/** One user_links row as better-sqlite3 binds it (use columns left to the table's defaults). */
export interface UserLinkRow {
  key_sha256: string;
  user: string;
  created_by: string;
  created_at: string;
  expires_at: string;
}

/** One user_links row as it is read back. */
export interface StoredUserLinkRow extends UserLinkRow {
  last_used_at: string | null;
  uses: number;
}

const SESSION_COLUMNS = 'id_sha256, viewer_kind, viewer_name, csrf_token, created_at, expires_at';
const LINK_COLUMNS = 'key_sha256, user, created_by, created_at, expires_at';

/** The web_sessions and user_links statements (named parameters; the D1 store rewrites them to `?N`). Times bound as toISOString. */
export const WEB_SESSION_SQL = {
  insertSession: `INSERT INTO web_sessions (${SESSION_COLUMNS}) VALUES (@id_sha256, @viewer_kind, @viewer_name, @csrf_token, @created_at, @expires_at)`,
  /** The session while it lasts at @now. */
  selectSession: `SELECT ${SESSION_COLUMNS} FROM web_sessions WHERE id_sha256 = @id AND expires_at > @now`,
  deleteSession: 'DELETE FROM web_sessions WHERE id_sha256 = @id',
  insertLink: `INSERT INTO user_links (${LINK_COLUMNS}) VALUES (@key_sha256, @user, @created_by, @created_at, @expires_at)`,
  /** Count a use of a link that lasts at @now, and return it as it is after the use (nothing when unknown or expired). */
  takeLink: `UPDATE user_links SET uses = uses + 1, last_used_at = @now WHERE key_sha256 = @key AND expires_at > @now RETURNING ${LINK_COLUMNS}, last_used_at, uses`,
  pruneSessions: 'DELETE FROM web_sessions WHERE expires_at <= @now',
  pruneLinks: 'DELETE FROM user_links WHERE expires_at <= @now',
} as const;

/** The row of a (checked) session. */
export function webSessionToRow(s: WebSession): WebSessionRow {
  const c = storedWebSession(s);
  return { id_sha256: c.idSha256, viewer_kind: c.viewer.kind, viewer_name: c.viewer.name, csrf_token: c.csrfToken, created_at: c.createdAt, expires_at: c.expiresAt };
}

/** The session a row holds. */
export function rowToWebSession(row: WebSessionRow): WebSession {
  return { idSha256: row.id_sha256, viewer: { kind: row.viewer_kind, name: row.viewer_name } as SessionViewer, csrfToken: row.csrf_token, createdAt: row.created_at, expiresAt: row.expires_at };
}

/** The row of a (checked) link. */
export function userLinkToRow(l: UserLink): UserLinkRow {
  const c = storedUserLink(l);
  return { key_sha256: c.keySha256, user: c.user, created_by: c.createdBy, created_at: c.createdAt, expires_at: c.expiresAt };
}

/** The link a row holds, with its use. */
export function rowToUserLink(row: StoredUserLinkRow): StoredUserLink {
  return { keySha256: row.key_sha256, user: row.user, createdBy: row.created_by, createdAt: row.created_at, expiresAt: row.expires_at, lastUsedAt: row.last_used_at, uses: row.uses };
}

/** `now` as canonical ISO text, the form the tables compare against. */
export function isoNow(now: string): string {
  return new Date(now).toISOString();
}

/** The web_sessions and user_links tables of one connection. */
export class SqliteWebSessionTable {
  private readonly insertSession: Statement<[WebSessionRow]>;
  private readonly selectSession: Statement<[{ id: string; now: string }], WebSessionRow>;
  private readonly deleteSession: Statement<[{ id: string }]>;
  private readonly insertLink: Statement<[UserLinkRow]>;
  private readonly takeLink: Statement<[{ key: string; now: string }], StoredUserLinkRow>;
  private readonly pruneSessions: Statement<[{ now: string }]>;
  private readonly pruneLinks: Statement<[{ now: string }]>;
  private readonly pruneTx: (now: string) => number;

  /** Prepares the statements (the 0013 migration must have run). */
  constructor(db: Database) {
    this.insertSession = db.prepare(WEB_SESSION_SQL.insertSession);
    this.selectSession = db.prepare(WEB_SESSION_SQL.selectSession);
    this.deleteSession = db.prepare(WEB_SESSION_SQL.deleteSession);
    this.insertLink = db.prepare(WEB_SESSION_SQL.insertLink);
    this.takeLink = db.prepare(WEB_SESSION_SQL.takeLink);
    this.pruneSessions = db.prepare(WEB_SESSION_SQL.pruneSessions);
    this.pruneLinks = db.prepare(WEB_SESSION_SQL.pruneLinks);
    const prune = db.transaction((now: string) => this.pruneSessions.run({ now }).changes + this.pruneLinks.run({ now }).changes);
    this.pruneTx = (now) => prune.immediate(now);
  }

  /** Insert a checked session; a reused digest fails (UNIQUE). */
  putSession(session: WebSession): void {
    this.insertSession.run(webSessionToRow(session));
  }

  /** The session while it lasts, else null. */
  getSession(idSha256: string, now: string): WebSession | null {
    const row = this.selectSession.get({ id: idSha256, now: isoNow(now) });
    return row === undefined ? null : rowToWebSession(row);
  }

  /** Delete a session; whether there was one. */
  deleteSessionById(idSha256: string): boolean {
    return this.deleteSession.run({ id: idSha256 }).changes > 0;
  }

  /** Insert a checked link; a reused digest fails (UNIQUE). */
  putLink(link: UserLink): void {
    this.insertLink.run(userLinkToRow(link));
  }

  /** Count a use of a lasting link and return it, else null. */
  take(keySha256: string, now: string): StoredUserLink | null {
    const row = this.takeLink.get({ key: keySha256, now: isoNow(now) });
    return row === undefined ? null : rowToUserLink(row);
  }

  /** Drop expired sessions and links in one transaction; how many went. */
  prune(now: string): number {
    return this.pruneTx(isoNow(now));
  }
}
