// Per-user sign-in links: an admin mints one (POST /v1/web/links, `gpuwarden web-link`), the person opens it
// (GET /ui/me/<key>, login.ts) and is signed in to their own page. The key is 32 random bytes; only its SHA-256 is
// stored. A link is usable until it expires (people click a notification's link more than once), default 30 days.
import type { Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { durationProblem, parseDurationMs } from '../../format/duration.ts';
import { webLinkCreatedEvent } from '../../events/web-events.ts';
import { grantSchema } from '../../enforcement/grant.ts';
import type { Store } from '../../store/store.ts';
import type { AppEnv } from '../app-env.ts';
import { requireKind, sha256Hex } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { toApiIssues } from '../issues.ts';
import { parseJsonText } from '../routes/silences.ts';
import { newWebSecret } from './web-secret.ts';

/** How long a link lasts when the admin gives no ttl: 30 days. */
export const DEFAULT_LINK_TTL = '30d';
/** The longest a link may last: 365 days. */
export const MAX_LINK_TTL_MS = 365 * 86_400_000;
/** The largest POST /v1/web/links body. */
export const LINK_BODY_LIMIT_BYTES = 4 * 1024;
/** The path a link's key is opened under. */
export const LINK_PATH_PREFIX = '/ui/me/';

/** POST /v1/web/links body: whose page the link opens, and for how long (a duration such as 7d; default 30d). */
export const linkBodySchema = z.strictObject({
  user: grantSchema.shape.user,
  ttl: z.string().max(32).optional(),
});

/** What the link route needs. */
export interface LinkRouteDeps {
  store: Store;
  clock: () => Date;
  authenticated: MiddlewareHandler<AppEnv>;
  /** The service's public base URL (no trailing slash), or null: the reply then gives the path only and says so. */
  publicUrl: string | null;
}

/** The reply of POST /v1/web/links. */
export interface LinkReply {
  user: string;
  path: string;
  /** The whole link; null when the service has no public URL (the reply's note says so). */
  url: string | null;
  expiresAt: string;
  note?: string;
}

/** The note of a reply without a public URL. */
export const NO_PUBLIC_URL_NOTE = 'the service has no public URL (public_url: in gpuwarden.yaml, GPUWARDEN_PUBLIC_URL on Workers): put the path after the address people reach the web view at';

function ttlMsOf(ttl: string): number {
  const problem = durationProblem(ttl);
  if (problem !== null) throw new HttpError(400, 'invalid_link', 'invalid link request', [{ path: 'ttl', message: problem }]);
  const ms = parseDurationMs(ttl);
  if (ms < 60_000 || ms > MAX_LINK_TTL_MS) throw new HttpError(400, 'invalid_link', 'invalid link request', [{ path: 'ttl', message: 'must be from 1m to 365d' }]);
  return ms;
}

/** POST /v1/web/links {user, ttl?} (admin token): a new sign-in link for the user, `{user, path, url, expiresAt, note?}`. */
export function registerLinkRoute(app: Hono<AppEnv>, deps: LinkRouteDeps): void {
  const tooLarge = (): never => {
    throw new HttpError(413, 'payload_too_large', `request body is larger than ${LINK_BODY_LIMIT_BYTES} bytes`);
  };
  app.post('/v1/web/links', deps.authenticated, bodyLimit({ maxSize: LINK_BODY_LIMIT_BYTES, onError: tooLarge }), async (c) => {
    const principal = c.get('principal');
    requireKind(principal, 'admin');
    const parsed = linkBodySchema.safeParse(parseJsonText(await c.req.text()));
    if (!parsed.success) throw new HttpError(400, 'invalid_link', 'invalid link request', toApiIssues(parsed.error.issues));
    const ttlMs = ttlMsOf(parsed.data.ttl ?? DEFAULT_LINK_TTL);
    const now = deps.clock();
    const key = newWebSecret();
    const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
    const by = `admin:${principal.name}`;
    await deps.store.putUserLink({ keySha256: await sha256Hex(key), user: parsed.data.user, createdBy: by, createdAt: now.toISOString(), expiresAt });
    await deps.store.addEvent(webLinkCreatedEvent(now, parsed.data.user, by, expiresAt));
    const path = `${LINK_PATH_PREFIX}${key}`;
    const reply: LinkReply =
      deps.publicUrl === null ? { user: parsed.data.user, path, url: null, expiresAt, note: NO_PUBLIC_URL_NOTE } : { user: parsed.data.user, path, url: `${deps.publicUrl}${path}`, expiresAt };
    c.header('Cache-Control', 'no-store');
    return c.json(reply, 201);
  });
}
