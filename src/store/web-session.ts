// The web view's sign-in records as the store keeps them: a session (who is signed in, its CSRF token, until when)
// and a per-user sign-in link. Both are keyed by the SHA-256 (hex) of their secret; the secret itself never reaches
// the store. The checks here are the memory store's stand-in for the 0013 migration's constraints (every store runs
// them), so all stores refuse the same records with the same message.

/** Who a session signs in: structurally the web view's Viewer (src/server/web/viewer.ts), declared here so the store imports nothing from the server. */
export type SessionViewer = { kind: 'admin'; name: string } | { kind: 'user'; name: string };

/** One signed-in browser: the SHA-256 of its cookie's session id, the viewer, the CSRF token of its forms, and its lifetime. */
export interface WebSession {
  idSha256: string;
  viewer: SessionViewer;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

/** A per-user sign-in link as an admin mints it: the SHA-256 of its key, whose page it opens, who made it, until when. */
export interface UserLink {
  keySha256: string;
  user: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
}

/** A stored link with its use: links stay usable until they expire; each use is counted and its time kept. */
export interface StoredUserLink extends UserLink {
  lastUsedAt: string | null;
  uses: number;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const MAX_NAME_LENGTH = 256;

function isoOrProblem(value: unknown, key: string, problems: string[]): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    problems.push(`${key}: must be an ISO 8601 time`);
    return '';
  }
  return new Date(value).toISOString();
}

function nameProblem(value: unknown, key: string, problems: string[]): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NAME_LENGTH) problems.push(`${key}: must be 1 to ${MAX_NAME_LENGTH} characters`);
}

function digestProblem(value: unknown, key: string, problems: string[]): void {
  if (typeof value !== 'string' || !SHA256_HEX.test(value)) problems.push(`${key}: must be 64 lowercase hex characters (a SHA-256)`);
}

function fail(what: string, problems: string[]): never {
  throw new TypeError(`${what}: ${problems.join('; ')}.`);
}

/** A checked, detached copy of a session (times canonical ISO); throws a TypeError naming each bad field. */
export function storedWebSession(session: WebSession): WebSession {
  const problems: string[] = [];
  digestProblem(session.idSha256, 'idSha256', problems);
  const kind = session.viewer?.kind;
  if (kind !== 'admin' && kind !== 'user') problems.push('viewer.kind: must be admin or user');
  nameProblem(session.viewer?.name, 'viewer.name', problems);
  if (typeof session.csrfToken !== 'string' || session.csrfToken.length < 16) problems.push('csrfToken: must be at least 16 characters');
  const createdAt = isoOrProblem(session.createdAt, 'createdAt', problems);
  const expiresAt = isoOrProblem(session.expiresAt, 'expiresAt', problems);
  if (problems.length > 0) fail('web session', problems);
  return { idSha256: session.idSha256, viewer: { kind: session.viewer.kind, name: session.viewer.name } as SessionViewer, csrfToken: session.csrfToken, createdAt, expiresAt };
}

/** A checked, detached copy of a link (times canonical ISO); throws a TypeError naming each bad field. */
export function storedUserLink(link: UserLink): UserLink {
  const problems: string[] = [];
  digestProblem(link.keySha256, 'keySha256', problems);
  nameProblem(link.user, 'user', problems);
  nameProblem(link.createdBy, 'createdBy', problems);
  const createdAt = isoOrProblem(link.createdAt, 'createdAt', problems);
  const expiresAt = isoOrProblem(link.expiresAt, 'expiresAt', problems);
  if (problems.length > 0) fail(`user link for ${typeof link.user === 'string' ? link.user : '(no user)'}`, problems);
  return { keySha256: link.keySha256, user: link.user, createdBy: link.createdBy, createdAt, expiresAt };
}
