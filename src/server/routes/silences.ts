import type { Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { matcherMatches, MatcherError, parseMatcher, type Matcher } from '../../alerts/silence.ts';
import { durationProblem, parseDuration } from '../../format/duration.ts';
import type { Silence, Store } from '../../store/store.ts';
import type { AppEnv } from '../app-env.ts';
import { requireKind } from '../auth.ts';
import { HttpError, type ApiIssue } from '../errors.ts';
import { toApiIssues } from '../issues.ts';
import { silenceEvent } from '../../events/admin-events.ts';
import { isoTimeSchema, parseQuery } from './notifications.ts';

/** The largest POST /v1/silences body: a silence is a few matchers and a comment. */
export const SILENCE_BODY_LIMIT_BYTES = 64 * 1024;

/** POST /v1/silences body: matchers as text (`user=alice`, `alertname=~idle-.*`), endsAt or duration. */
export const silenceBodySchema = z.strictObject({
  matchers: z.array(z.string().min(1).max(1024)).min(1).max(64),
  comment: z.string().trim().min(1).max(2000),
  startsAt: isoTimeSchema.optional(),
  endsAt: isoTimeSchema.optional(),
  duration: z.string().max(32).optional(),
  expireOnResolve: z.boolean().optional(),
});

/** GET /v1/silences query: `active=true` lists only the silences in force now. */
export const silenceQuerySchema = z.strictObject({ active: z.enum(['true', 'false']).optional() });

/** What the silence routes need. */
export interface SilenceRouteDeps {
  store: Store;
  clock: () => Date;
  authenticated: MiddlewareHandler<AppEnv>;
  /** New silence ids; default crypto.randomUUID (Web Crypto: Node and workerd). */
  newId?: () => string;
}

/**
 * Check a POST /v1/silences body and build the silence (createdBy, id and clock given). Throws 400 `invalid_json`
 * or `invalid_silence` with dotted issue paths.
 */
export function silenceFromBody(body: unknown, context: { createdBy: string; id: string; now: Date }): Silence {
  const result = silenceBodySchema.safeParse(body);
  if (!result.success) throw invalidSilence(toApiIssues(result.error.issues));
  const b = result.data;
  const issues: ApiIssue[] = [];
  const matchers: Matcher[] = [];
  b.matchers.forEach((text, i) => {
    try {
      matchers.push(parseMatcher(text));
    } catch (err) {
      if (!(err instanceof MatcherError)) throw err;
      issues.push({ path: `matchers.${i}`, message: err.message });
    }
  });
  if (issues.length === 0 && matchers.every((m) => matcherMatches(m, {}))) {
    issues.push({ path: 'matchers', message: 'every matcher matches an alert without that label: add one that needs a value, or this silence mutes everything' });
  }
  const nowIso = context.now.toISOString();
  const startsAt = b.startsAt ?? nowIso;
  let endsAt: string | null = null;
  if (b.endsAt !== undefined && b.duration !== undefined) issues.push({ path: 'duration', message: 'give endsAt or duration, not both' });
  else if (b.endsAt !== undefined) endsAt = b.endsAt;
  else if (b.duration !== undefined) {
    const problem = durationProblem(b.duration);
    if (problem !== null) issues.push({ path: 'duration', message: problem });
    else if (parseDuration(b.duration) === 0) issues.push({ path: 'duration', message: 'must be longer than 0s' });
    else endsAt = new Date(Date.parse(startsAt) + parseDuration(b.duration) * 1000).toISOString();
  } else issues.push({ path: 'endsAt', message: 'give endsAt (an ISO time) or duration (such as 2h)' });
  const endPath = b.endsAt === undefined ? 'duration' : 'endsAt';
  if (endsAt !== null && endsAt <= nowIso) issues.push({ path: endPath, message: `the silence would end in the past (now is ${nowIso})` });
  else if (endsAt !== null && endsAt <= startsAt) issues.push({ path: endPath, message: 'the silence must end after startsAt' });
  if (issues.length > 0 || endsAt === null) throw invalidSilence(issues);
  return {
    id: context.id,
    matchers,
    createdBy: context.createdBy,
    comment: b.comment,
    startsAt,
    endsAt,
    expireOnResolve: b.expireOnResolve ?? false,
    createdAt: nowIso,
    expiredAt: null,
  };
}

/** POST /v1/silences, GET /v1/silences (?active=true), DELETE /v1/silences/:id (expire now); admin token only. */
export function registerSilenceRoutes(app: Hono<AppEnv>, deps: SilenceRouteDeps): void {
  const newId = deps.newId ?? ((): string => crypto.randomUUID());
  const tooLarge = (): never => {
    throw new HttpError(413, 'payload_too_large', `request body is larger than ${SILENCE_BODY_LIMIT_BYTES} bytes`);
  };

  app.post('/v1/silences', deps.authenticated, bodyLimit({ maxSize: SILENCE_BODY_LIMIT_BYTES, onError: tooLarge }), async (c) => {
    const principal = c.get('principal');
    requireKind(principal, 'admin');
    const body = parseJsonText(await c.req.text());
    const silence = silenceFromBody(body, { createdBy: principal.name, id: newId(), now: deps.clock() });
    await deps.store.addSilence(silence);
    await deps.store.addEvent(silenceEvent(crypto.randomUUID(), 'silence.created', silence, silence.createdAt, `admin:${principal.name}`));
    return c.json({ silence }, 201);
  });

  app.get('/v1/silences', deps.authenticated, async (c) => {
    requireKind(c.get('principal'), 'admin');
    const q = parseQuery(silenceQuerySchema, c.req.queries(), 'GET /v1/silences');
    const filter = q.active === 'true' ? { activeAt: deps.clock().toISOString() } : {};
    return c.json({ silences: await deps.store.listSilences(filter) }, 200);
  });

  app.delete('/v1/silences/:id', deps.authenticated, async (c) => {
    const principal = c.get('principal');
    requireKind(principal, 'admin');
    const id = c.req.param('id');
    const now = deps.clock().toISOString();
    const known = (await deps.store.listSilences({})).find((s) => s.id === id);
    if (known === undefined) throw new HttpError(404, 'not_found', `no silence with id ${JSON.stringify(id.slice(0, 100))}`);
    if (!(await deps.store.expireSilence(id, now))) {
      const ended = known.expiredAt ?? known.endsAt;
      throw new HttpError(409, 'already_ended', `silence ${id} already ended at ${ended}`);
    }
    await deps.store.addEvent(silenceEvent(crypto.randomUUID(), 'silence.expired', known, now, `admin:${principal.name}`));
    return c.json({ silence: { ...known, expiredAt: now } }, 200);
  });
}

function invalidSilence(issues: ApiIssue[]): HttpError {
  return new HttpError(400, 'invalid_silence', `body is not a valid silence (${issues.length} problem(s))`, issues.slice(0, 20));
}

/** A request body's JSON; throws 400 `invalid_json` when it is not JSON. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'invalid_json', 'request body is not valid JSON');
  }
}
