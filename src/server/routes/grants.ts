import type { Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { ANY_RULE, compareGrants, filterGrants, GRANT_RULE_PATTERN, grantSchema, type Grant, type GrantFilter } from '../../enforcement/grant.ts';
import { durationProblem, parseDuration } from '../../format/duration.ts';
import { didYouMean } from '../../engine/rules/suggest.ts';
import type { Store } from '../../store/store.ts';
import type { AppEnv } from '../app-env.ts';
import { requireKind } from '../auth.ts';
import { HttpError, type ApiIssue } from '../errors.ts';
import { toApiIssues } from '../issues.ts';
import { isoTimeSchema, parseQuery } from './notifications.ts';
import { parseJsonText } from './silences.ts';
import { grantEvent } from '../../events/admin-events.ts';

/** The largest POST /v1/grants body: a user, a rule, a time and a reason. */
export const GRANT_BODY_LIMIT_BYTES = 16 * 1024;

/** POST /v1/grants body: who, which rule (or `*`), until (ISO) or duration (`3d`), and why. */
export const grantBodySchema = z.strictObject({
  user: grantSchema.shape.user,
  rule: z.string().min(1).max(200).regex(GRANT_RULE_PATTERN, 'a rule id (letters, digits and . _ : -) or * for every rule'),
  until: isoTimeSchema.optional(),
  duration: z.string().max(32).optional(),
  reason: z.string().trim().min(1, 'say why the user is exempt (required)').max(2000),
});

/** GET /v1/grants query: `all=1` adds expired and revoked grants; `user` and `rule` filter (exact). */
export const grantQuerySchema = z.strictObject({
  all: z.enum(['1', '0', 'true', 'false']).optional(),
  user: z.string().min(1).max(256).optional(),
  rule: z.string().min(1).max(200).optional(),
});

/** What the grant routes need. */
export interface GrantRouteDeps {
  store: Store;
  clock: () => Date;
  authenticated: MiddlewareHandler<AppEnv>;
  /** The read-only grants of the loaded config (lifecycle-exemptions.yaml); listed, never revocable here. */
  grantsFromConfig: () => readonly Grant[];
  /** The rule ids the service evaluates, to refuse a grant for an unknown rule; without it any rule id is taken. */
  ruleIds?: () => ReadonlySet<string>;
  /** New grant ids; default crypto.randomUUID (Web Crypto: Node and workerd). */
  newId?: () => string;
}

/**
 * Check a POST /v1/grants body and build the admin grant (createdBy, id, clock and known rule ids given). Throws 400
 * `invalid_json` or `invalid_grant` with dotted issue paths.
 */
export function grantFromBody(body: unknown, context: { createdBy: string; id: string; now: Date; ruleIds?: ReadonlySet<string> }): Grant {
  const result = grantBodySchema.safeParse(body);
  if (!result.success) throw invalidGrant(toApiIssues(result.error.issues));
  const b = result.data;
  const issues: ApiIssue[] = [];
  const known = context.ruleIds;
  if (known !== undefined && b.rule !== ANY_RULE && !known.has(b.rule)) {
    const names = [...known].sort();
    issues.push({ path: 'rule', message: `no rule "${b.rule}"${didYouMean(b.rule, names)}; known rules: ${names.slice(0, 40).join(', ')}, or * for every rule` });
  }
  const nowIso = context.now.toISOString();
  let until: string | null = null;
  if (b.until !== undefined && b.duration !== undefined) issues.push({ path: 'duration', message: 'give until or duration, not both' });
  else if (b.until !== undefined) until = b.until;
  else if (b.duration !== undefined) {
    const problem = durationProblem(b.duration);
    if (problem !== null) issues.push({ path: 'duration', message: problem });
    else if (parseDuration(b.duration) === 0) issues.push({ path: 'duration', message: 'must be longer than 0s' });
    else until = new Date(context.now.getTime() + parseDuration(b.duration) * 1000).toISOString();
  } else issues.push({ path: 'until', message: 'give until (an ISO time such as 2026-12-04T17:00:00Z) or duration (such as 3d)' });
  if (until !== null && until <= nowIso) issues.push({ path: b.until === undefined ? 'duration' : 'until', message: `the grant would end in the past (now is ${nowIso})` });
  if (issues.length > 0 || until === null) throw invalidGrant(issues);
  return { id: context.id, user: b.user, rule: b.rule, until, reason: b.reason, createdBy: context.createdBy, createdAt: nowIso, revokedAt: null, source: 'admin' };
}

/** POST /v1/grants, GET /v1/grants (?all=1&user=&rule=), DELETE /v1/grants/:id (revoke); admin token only. */
export function registerGrantRoutes(app: Hono<AppEnv>, deps: GrantRouteDeps): void {
  const newId = deps.newId ?? ((): string => crypto.randomUUID());
  const tooLarge = (): never => {
    throw new HttpError(413, 'payload_too_large', `request body is larger than ${GRANT_BODY_LIMIT_BYTES} bytes`);
  };

  app.post('/v1/grants', deps.authenticated, bodyLimit({ maxSize: GRANT_BODY_LIMIT_BYTES, onError: tooLarge }), async (c) => {
    const principal = c.get('principal');
    requireKind(principal, 'admin');
    const body = parseJsonText(await c.req.text());
    const ruleIds = deps.ruleIds?.();
    const grant = grantFromBody(body, { createdBy: principal.name, id: newId(), now: deps.clock(), ...(ruleIds === undefined ? {} : { ruleIds }) });
    await deps.store.putGrant(grant);
    await deps.store.addEvent(grantEvent(crypto.randomUUID(), 'grant.created', grant, grant.createdAt, `admin:${principal.name}`));
    return c.json({ grant }, 201);
  });

  app.get('/v1/grants', deps.authenticated, async (c) => {
    requireKind(c.get('principal'), 'admin');
    const q = parseQuery(grantQuerySchema, c.req.queries(), 'GET /v1/grants');
    const filter: GrantFilter = {
      includeInactive: q.all === '1' || q.all === 'true',
      ...(q.user === undefined ? {} : { user: q.user }),
      ...(q.rule === undefined ? {} : { rule: q.rule }),
    };
    const now = deps.clock();
    const stored = await deps.store.listGrants(filter, now.toISOString());
    const grants = [...stored, ...filterGrants(deps.grantsFromConfig(), filter, now)].sort(compareGrants);
    return c.json({ grants }, 200);
  });

  app.delete('/v1/grants/:id', deps.authenticated, async (c) => {
    const principal = c.get('principal');
    requireKind(principal, 'admin');
    const id = c.req.param('id');
    const shown = JSON.stringify(id.slice(0, 200));
    if (deps.grantsFromConfig().some((g) => g.id === id)) {
      throw new HttpError(409, 'read_only', `grant ${shown} comes from lifecycle-exemptions.yaml; edit that file to change or end it`);
    }
    const now = deps.clock().toISOString();
    const outcome = await deps.store.revokeGrant(id, now);
    if (outcome === 'not-found') throw new HttpError(404, 'not_found', `no grant with id ${shown}`);
    const grant = (await deps.store.listGrants({ includeInactive: true }, now)).find((g) => g.id === id);
    if (outcome === 'already-revoked') throw new HttpError(409, 'already_revoked', `grant ${shown} was already revoked at ${grant?.revokedAt ?? 'an earlier time'}`);
    if (grant !== undefined) await deps.store.addEvent(grantEvent(crypto.randomUUID(), 'grant.revoked', grant, now, `admin:${principal.name}`));
    return c.json({ grant }, 200);
  });
}

function invalidGrant(issues: ApiIssue[]): HttpError {
  return new HttpError(400, 'invalid_grant', `body is not a valid grant (${issues.length} problem(s))`, issues.slice(0, 20));
}
