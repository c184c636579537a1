// notifications.yaml as written (snake_case). Types, enums, durations and matcher syntax are checked here; references
// between keys (receivers named, duplicates, secrets) are checked after, in parse-routing.ts.
import { z } from 'zod';
import { BUILTIN_RECEIVERS, KEBAB_CASE } from '../../engine/rules/rule-schema.ts';
import { durationProblem, parseDuration } from '../../format/duration.ts';
import { describeValue } from '../limits/values.ts';
import { isEmailAddress, isMailbox } from './email-address.ts';
import { mailApiUrlProblem } from './mail-api-url.ts';
import { LABEL_NAME, parseMatcher } from './matcher.ts';
import { GROUP_BY_ALL } from './types.ts';

/** A duration such as `30s`, `5m`, `4h`, `1d`; `positive` rejects `0s`. A bare number is told it needs a unit. */
export function durationSchema(positive: boolean): z.ZodType<string, unknown> {
  return z.unknown().transform((v, ctx): string => {
    const fail = (message: string): never => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (v === undefined) return fail('is required');
    if (typeof v !== 'string' && typeof v !== 'number') return fail(`expected a duration such as 30s, 5m, 4h or 1d, got ${describeValue(v)}`);
    const text = String(v);
    const problem = durationProblem(text);
    if (problem !== null) return fail(problem);
    if (positive && parseDuration(text) === 0) return fail('must be longer than 0s');
    return text;
  });
}

/** Receiver names: kebab-case (rules name them in `notify`), and not one of the built-ins `owner` / `admins`. */
export const receiverNameSchema = z.string().superRefine((name, ctx) => {
  if (!KEBAB_CASE.test(name)) ctx.addIssue({ code: 'custom', message: `receiver name ${JSON.stringify(name)} must be kebab-case (e.g. "ops-slack")` });
  else if ((BUILTIN_RECEIVERS as readonly string[]).includes(name)) {
    ctx.addIssue({ code: 'custom', message: `"${name}" is built in (rules write notify: [${name}]); choose another receiver name` });
  }
});

const ruleId = z.string().regex(KEBAB_CASE, { error: (iss) => `rule id ${JSON.stringify(iss.input)} must be kebab-case (e.g. "gpu-temperature")` });

const matcher = z.string().superRefine((text, ctx) => {
  const parsed = parseMatcher(text);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
});

const groupBy = z.array(z.string()).superRefine((names, ctx) => {
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name === GROUP_BY_ALL) {
      if (names.length > 1) ctx.addIssue({ code: 'custom', path: [i], message: '"..." means every label: list it alone' });
    } else if (!LABEL_NAME.test(name)) {
      ctx.addIssue({ code: 'custom', path: [i], message: `${JSON.stringify(name)} is not a label name (letters, digits, _; not starting with a digit)` });
    } else if (seen.has(name)) {
      ctx.addIssue({ code: 'custom', path: [i], message: `label "${name}" is listed twice` });
    }
    seen.add(name);
  });
});

const backoffSchema = z.strictObject({
  factor: z.number().min(1, 'must be at least 1 (1 = no backoff)').max(10, 'must be at most 10'),
  max: durationSchema(true),
});

/** One route of the tree; `routes` nests more of them. */
export const routeSchema = z.strictObject({
  receiver: z.string().optional(),
  matchers: z.array(matcher).nullable().optional(),
  group_by: groupBy.optional(),
  group_wait: durationSchema(false).optional(),
  group_interval: durationSchema(true).optional(),
  repeat_interval: durationSchema(true).optional(),
  repeat_backoff: backoffSchema.optional(),
  send_resolved: z.boolean().optional(),
  send_resolved_rules: z.record(ruleId, z.boolean()).nullable().optional(),
  continue: z.boolean().optional(),
  get routes(): z.ZodOptional<z.ZodNullable<z.ZodArray<typeof routeSchema>>> {
    return z.array(routeSchema).nullable().optional();
  },
});

/** A route as written. */
export type RouteFile = z.infer<typeof routeSchema>;

const nonEmpty = (what: string) => z.string().trim().min(1, `must be ${what}`);

/** Exactly one of `key`, `key_file`, `key_env` (a secret inline, in a file, or in an environment variable). */
function oneSecretSource(key: string) {
  return (entry: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    const given = [key, `${key}_file`, `${key}_env`].filter((k) => entry[k] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: given.length === 0 ? `needs one of ${key}, ${key}_file or ${key}_env` : `give only one of ${given.join(', ')}`,
      });
    }
  };
}

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name (letters, digits, _)');

/** `slack:` of a receiver: an incoming-webhook URL, inline or (better) from a file or the environment. */
export const slackSchema = z
  .strictObject({
    webhook_url: z.string().optional(),
    webhook_url_file: nonEmpty('a file path').optional(),
    webhook_url_env: envName.optional(),
  })
  .superRefine(oneSecretSource('webhook_url'));

/** `teams:` of a receiver: a Power Automate workflow webhook URL (Teams' "Workflows" app), like Alertmanager's msteamsv2. */
export const teamsSchema = z
  .strictObject({
    webhook_url: z.string().optional(),
    webhook_url_file: nonEmpty('a file path').optional(),
    webhook_url_env: envName.optional(),
  })
  .superRefine(oneSecretSource('webhook_url'));

/** At most one of `key`, `key_file`, `key_env` (an optional secret). */
function atMostOneSecretSource(key: string) {
  return (entry: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    const given = [key, `${key}_file`, `${key}_env`].filter((k) => entry[k] !== undefined);
    if (given.length > 1) ctx.addIssue({ code: 'custom', message: `give only one of ${given.join(', ')}` });
  };
}

/** `webhook:` of a receiver: a URL taking Alertmanager's webhook payload, an optional Bearer token, `max_alerts` (0 = all). */
export const webhookSchema = z
  .strictObject({
    url: z.string().optional(),
    url_file: nonEmpty('a file path').optional(),
    url_env: envName.optional(),
    bearer_token: z.string().optional(),
    bearer_token_file: nonEmpty('a file path').optional(),
    bearer_token_env: envName.optional(),
    max_alerts: z.number().int('must be a whole number').min(0, 'must be 0 (all) or more').optional(),
  })
  .superRefine(oneSecretSource('url'))
  .superRefine(atMostOneSecretSource('bearer_token'));

const authSchema = z
  .strictObject({
    username: nonEmpty('a user name'),
    password: z.string().optional(),
    password_file: nonEmpty('a file path').optional(),
    password_env: envName.optional(),
  })
  .superRefine(oneSecretSource('password'));

const address = z.string().refine(isEmailAddress, { error: (iss) => `${JSON.stringify(iss.input)} is not an email address` });

/** `email.http_api:`: an HTTPS mail API taking Resend's JSON (`{from, to, subject, text, html}`) with a Bearer token. */
export const httpApiSchema = z
  .strictObject({
    url: z.string().superRefine((url, ctx) => {
      const problem = mailApiUrlProblem(url);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    }),
    token: z.string().optional(),
    token_file: nonEmpty('a file path').optional(),
    token_env: envName.optional(),
  })
  .superRefine(oneSecretSource('token'));

/** Keys of `email:` that only an SMTP receiver (`host:`) uses. */
const SMTP_ONLY_KEYS = ['port', 'tls', 'auth'] as const;

/**
 * `email:` of a receiver: one transport (an SMTP server, `host:` and its settings, or an HTTP mail API, `http_api:`),
 * the sender, and fixed recipients for admin receivers.
 */
export const emailSchema = z
  .strictObject({
    host: nonEmpty('a host name').optional(),
    port: z.number().int('must be a whole number').min(1, 'must be 1 to 65535').max(65535, 'must be 1 to 65535').optional(),
    tls: z.enum(['starttls', 'tls', 'none'], { error: 'must be starttls, tls or none' }).optional(),
    auth: authSchema.optional(),
    http_api: httpApiSchema.optional(),
    from: z.string().refine(isMailbox, { error: (iss) => `${JSON.stringify(iss.input)} is not an address (a@b.org or "Name <a@b.org>")` }),
    to: z.array(address).nullable().optional(),
  })
  .superRefine((email, ctx) => {
    if (email.host !== undefined && email.http_api !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'give only one of host: (SMTP) or http_api:' });
    } else if (email.host === undefined && email.http_api === undefined) {
      ctx.addIssue({ code: 'custom', message: 'needs host: (SMTP) or http_api: (an HTTPS mail API)' });
    } else if (email.http_api !== undefined) {
      for (const key of SMTP_ONLY_KEYS) {
        if (email[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is an SMTP setting (it goes with host:); an http_api: receiver does not use it' });
      }
    }
  });

/** The channel keys of a receiver, one of which it has. */
export const CHANNEL_KEYS = ['slack', 'email', 'teams', 'webhook'] as const;

/** One entry of `receivers:`: a name and exactly one of `slack:` / `email:` / `teams:` / `webhook:`. */
export const receiverSchema = z
  .strictObject({
    name: receiverNameSchema,
    slack: slackSchema.optional(),
    email: emailSchema.optional(),
    teams: teamsSchema.optional(),
    webhook: webhookSchema.optional(),
  })
  .superRefine((r, ctx) => {
    const given = CHANNEL_KEYS.filter((k) => r[k] !== undefined);
    if (given.length === 0) ctx.addIssue({ code: 'custom', message: 'needs one of slack:, email:, teams: or webhook:' });
    else if (given.length > 1) {
      const names = given.map((k) => `${k}:`);
      ctx.addIssue({ code: 'custom', message: `give only one of ${names.slice(0, -1).join(', ')} or ${names.at(-1) ?? ''} (one channel per receiver)` });
    }
  });

/** A receiver as written. */
export type ReceiverFile = z.infer<typeof receiverSchema>;

/** Longest `contact:` text: it is one line of every message's footer. */
export const CONTACT_MAX_CHARS = 200;

/** `contact:`: whom people should ask about a message (a channel, an address), one line of plain text. */
export const contactSchema = z
  .string()
  .superRefine((text, ctx) => {
    if (text.trim() === '') ctx.addIssue({ code: 'custom', message: 'must not be empty (leave contact: out for the default "the server\'s administrators")' });
    else if (/[\u0000-\u001f\u007f\u2028\u2029]/.test(text)) ctx.addIssue({ code: 'custom', message: 'must be one line of text (no line breaks or control characters)' });
    else if (text.length > CONTACT_MAX_CHARS) ctx.addIssue({ code: 'custom', message: `must be at most ${CONTACT_MAX_CHARS} characters (it is one line of every message's footer)` });
  });

/** notifications.yaml as written. */
export const routingFileSchema = z.strictObject({
  contact: contactSchema.optional(),
  route: routeSchema,
  receivers: z.array(receiverSchema).min(1, 'needs at least one receiver'),
});

/** notifications.yaml as written, after the schema. */
export type RoutingFile = z.infer<typeof routingFileSchema>;

/** The paths whose values are secrets: no message may quote them. */
export const SECRET_KEYS: ReadonlySet<string> = new Set(['webhook_url', 'password', 'token', 'url', 'bearer_token']);

/** Hints for keys that people bring from Alertmanager. */
export const KEY_HINTS: Readonly<Record<string, string>> = {
  match: 'use matchers: ["name=value"] (Alertmanager\'s match / match_re are not supported)',
  match_re: 'use matchers: ["name=~regex"] (Alertmanager\'s match / match_re are not supported)',
  slack_configs: 'write slack: {webhook_url_file: ...} (one channel per receiver)',
  email_configs: 'write email: {host: ..., from: ..., to: [...]} or email: {http_api: {url: ..., token_env: ...}, from: ..., to: [...]} (one channel per receiver)',
  msteamsv2_configs: 'write teams: {webhook_url_file: ...} (one channel per receiver; the same Power Automate workflow URL)',
  msteams_configs: 'write teams: {webhook_url_file: ...} with a Power Automate workflow URL (Office 365 connectors are retired)',
  webhook_configs: 'write webhook: {url_file: ...} (one channel per receiver; Alertmanager\'s webhook payload)',
  inhibit_rules: "inhibition is built in: a rule's critical stage replaces its warning (the same alert), nothing to configure",
};
