// The Worker's configuration: the bundled rule pack and DS01 limits (validated at build time), and the optional
// routing config and user directory, parsed from text with the same loaders `gpuwarden serve` uses. Secrets come from the Worker's env (`*_env` keys
// naming `wrangler secret put` variables); there are no files. Email receivers are refused here, at startup.
import type { Alert } from '../alerts/alert.ts';
import { ConfigError, formatProblem, problem } from '../config/limits/config-problem.ts';
import { parseRoutingConfig, readYaml } from '../config/routing/parse-routing.ts';
import { parseUserDirectory } from '../config/routing/parse-users.ts';
import type { RoutingConfig, UserDirectory } from '../config/routing/types.ts';
import { SERVICE_DEFAULTS } from '../config/service/service-defaults.ts';
import { grantsFromExemptions, type Grant } from '../enforcement/grant.ts';
import type { LimitsView } from '../engine/facts/limits-view.ts';
import type { PlannedRecipient } from '../notify/plan.ts';
import { limitsViewFromConfig } from '../service/limits-view-from-config.ts';
import { recipientsFromRouting } from '../service/notifications.ts';
import { createRuleSet } from '../service/rule-set-from-pack.ts';
import type { RuleSet } from '../service/rule-set.ts';
import type { PackedFile, WorkerPack } from './worker-pack-types.ts';

/** The message a routing config with an email receiver is refused with on Workers. */
export const EMAIL_ON_WORKERS =
  'email receivers need an HTTP mail API on Workers; SMTP (nodemailer) needs raw TCP sockets, which Workers do not offer. Remove the email receivers from the bundled notifications.yaml (and email from users.yaml), or run `gpuwarden serve` on Node for email';

/** What the Worker evaluates with, built once per isolate. */
export interface WorkerConfig {
  rules: RuleSet;
  limits: LimitsView;
  /** The read-only grants of the bundled lifecycle exemptions (as of load time). */
  configGrants: readonly Grant[];
  routing: RoutingConfig | null;
  recipientsOf: ((alert: Alert) => PlannedRecipient[]) | null;
}

/** Timing settings of the Worker: the service defaults (gpuwarden.yaml is not read on Workers). */
export const WORKER_TIMING = {
  probeIntervalS: SERVICE_DEFAULTS.probeIntervalS,
  hostSilentAfterIntervals: SERVICE_DEFAULTS.hostSilentAfterIntervals,
  fairShareHalfLifeH: SERVICE_DEFAULTS.fairShareHalfLifeH,
} as const;

function configError(file: string, message: string): ConfigError {
  return new ConfigError([problem('error', file, null, '', message)]);
}

/** The names of the email receivers a notifications.yaml defines (checked before secrets are resolved). */
function emailReceivers(src: PackedFile): string[] {
  const value = readYaml(src.text, src.file).value as { receivers?: unknown } | null | undefined;
  const receivers = Array.isArray(value?.receivers) ? (value.receivers as unknown[]) : [];
  return receivers.flatMap((r) => (typeof r === 'object' && r !== null && 'email' in r ? [String((r as { name?: unknown }).name ?? '?')] : []));
}

/** The routing config from the pack, or null; throws (with EMAIL_ON_WORKERS) for an email receiver. */
async function routingFrom(pack: WorkerPack, env: Readonly<Record<string, string | undefined>>): Promise<RoutingConfig | null> {
  if (pack.notifications === null) return null;
  const src = pack.notifications;
  const email = emailReceivers(src);
  if (email.length > 0) throw configError(src.file, `receiver(s) ${email.join(', ')}: ${EMAIL_ON_WORKERS}`);
  return parseRoutingConfig(src.text, {
    file: src.file,
    baseDir: '/',
    env,
    readTextFile: () => Promise.reject(Object.assign(new Error('no files on Workers'), { code: 'no files on Workers: use *_env with a Worker secret' })),
  });
}

/**
 * The isolate's configuration from the bundled pack: the rules and limits were validated at build time
 * (scripts/gen-worker-pack.ts), so only the rule set is compiled and the routing config and user directory parsed
 * (their secrets come from `env`). Throws one Error listing every routing problem; secrets never appear in messages.
 * The limits' warnings go to `log`.
 */
export async function loadWorkerConfig(pack: WorkerPack, env: Readonly<Record<string, string | undefined>>, now: Date, log: (line: string) => void): Promise<WorkerConfig> {
  const rules = createRuleSet(pack.rules);
  for (const p of pack.limits.warnings) log(`limits: ${formatProblem(p)}`);
  const limits = limitsViewFromConfig(pack.limits, WORKER_TIMING);
  const routing = await routingFrom(pack, env);
  let directory: UserDirectory | null = null;
  if (pack.users !== null) directory = parseUserDirectory(pack.users.text, { file: pack.users.file, routing });
  const recipientsOf = routing === null ? null : recipientsFromRouting(routing, directory, log);
  return { rules, limits, configGrants: grantsFromExemptions(pack.limits.exemptions, now), routing, recipientsOf };
}
