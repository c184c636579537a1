import { z } from 'zod';
import { localProbeFileSchema } from './local-probe-config.ts';
import { normalisePublicUrl, publicUrlProblem } from './public-url.ts';

const MAX_BODY_LIMIT_BYTES = 64 * 1024 * 1024;

const tokenSha256 = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters: the SHA-256 of the token (gpuwarden token new prints both)')
  .transform((hex) => hex.toLowerCase());

const tokenFile = z.string().min(1, 'must be a file path');

/** Exactly one of token_sha256 / token_file: secrets appear in the config only as hashes or files. */
function oneTokenSource(entry: { token_sha256?: string | undefined; token_file?: string | undefined }, ctx: z.RefinementCtx): void {
  if ((entry.token_sha256 === undefined) === (entry.token_file === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'needs exactly one of token_sha256 or token_file' });
  }
}

/** A probe host's entry under `hosts:`. */
export const hostEntrySchema = z
  .strictObject({ token_sha256: tokenSha256.optional(), token_file: tokenFile.optional() })
  .superRefine(oneTokenSource);

/** One entry of `admins:`. */
export const adminEntrySchema = z
  .strictObject({
    name: z.string().min(1, 'must not be empty').max(100),
    token_sha256: tokenSha256.optional(),
    token_file: tokenFile.optional(),
  })
  .superRefine(oneTokenSource);

/** Host names as probes report them (hostname characters). */
export const hostNameSchema = z
  .string()
  .max(253)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'is not a host name (letters, digits, ".", "_", "-")');

const wholeNumber = (min: number, max: number): z.ZodNumber =>
  z.number().int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

const path = z.string().min(1, 'must be a path');

/** gpuwarden.yaml as written (snake_case, every key optional, unknown keys rejected). */
export const serviceConfigFileSchema = z.strictObject({
  listen: z
    .strictObject({
      host: z.string().min(1, 'must be an address such as 127.0.0.1').optional(),
      port: wholeNumber(0, 65535).optional(),
    })
    .optional(),
  store: path.optional(),
  hosts: z.record(hostNameSchema, hostEntrySchema).nullable().optional(),
  admins: z.array(adminEntrySchema).nullable().optional(),
  /** Tokens that may only read GET /metrics (a Prometheus scraper), entries shaped like `admins:`. */
  scrapers: z.array(adminEntrySchema).nullable().optional(),
  /** Where people reach the web view (https://gpu.example.org); sign-in links are built on it. */
  public_url: z
    .string()
    .superRefine((text, ctx) => {
      const problem = publicUrlProblem(text);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform(normalisePublicUrl)
    .optional(),
  limits: path.optional(),
  notifications: path.optional(),
  users: path.optional(),
  rules: path.optional(),
  probe_interval_s: wholeNumber(1, 86_400).optional(),
  host_silent_after_intervals: wholeNumber(1, 1000).optional(),
  fair_share_half_life_h: z.number().positive().max(8760).optional(),
  tick_interval_s: wholeNumber(1, 3600).optional(),
  max_clock_skew_s: wholeNumber(1, 86_400).optional(),
  source_unavailable_resolve_after_m: wholeNumber(1, 10_080).optional(),
  max_snapshot_age_h: wholeNumber(1, 720).optional(),
  body_limit_bytes: wholeNumber(1024, MAX_BODY_LIMIT_BYTES).optional(),
  log: z
    .strictObject({
      level: z.enum(['debug', 'info', 'warn', 'error'], { error: 'must be one of debug, info, warn, error' }).optional(),
      format: z.enum(['json', 'text'], { error: 'must be json or text' }).optional(),
    })
    .optional(),
  enforcement: z
    .strictObject({
      grace_s: wholeNumber(0, 86_400).optional(),
      lifetime_s: wholeNumber(60, 7 * 86_400).optional(),
    })
    .optional(),
  local_probe: localProbeFileSchema.optional(),
});

/** The parsed file, before paths are resolved and token files read. */
export type ServiceConfigFile = z.infer<typeof serviceConfigFileSchema>;
