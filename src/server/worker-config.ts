// The Worker's configuration: the bundled rule pack and DS01 limits (validated at build time), and the optional
// routing config and user directory, parsed from text with the same loaders `gpuwarden serve` uses. Secrets come from
// the Worker's env (`*_env` keys naming `wrangler secret put` variables) or inline; there are no files, so `*_file`
// keys are refused. SMTP email receivers are refused here, at startup; email through an HTTP mail API (`http_api:`)
// works.
import type { Alert } from '../alerts/alert.ts';
import { ConfigError, formatProblem, problem, type ConfigProblem } from '../config/limits/config-problem.ts';
import { lineOf } from '../config/limits/yaml-source.ts';
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

/** The message an SMTP email receiver (`host:`) is refused with on Workers. */
export const EMAIL_ON_WORKERS =
  'SMTP needs raw TCP sockets, which Workers do not offer: use http_api: instead of host: on Workers (an HTTPS mail API taking Resend\'s JSON, its token in a Worker secret named by token_env:), or run `gpuwarden serve` on Node for SMTP';

/** The sentence a `*_file` secret is refused with on Workers (before anything is read). */
export function noFilesOnWorkers(envKey: string): string {
  return `there are no files on Workers: store the secret with \`wrangler secret put NAME\` and write ${envKey}: NAME`;
}

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

/** One problem per SMTP email receiver (an `email:` with `host:` and no `http_api:`), at its `host:` line; checked before secrets are resolved. */
function smtpReceiverProblems(src: PackedFile): ConfigProblem[] {
  const yaml = readYaml(src.text, src.file);
  const value = yaml.value as { receivers?: unknown } | null | undefined;
  const receivers = Array.isArray(value?.receivers) ? (value.receivers as unknown[]) : [];
  return receivers.flatMap((r, i) => {
    const email = typeof r === 'object' && r !== null ? (r as { email?: unknown }).email : undefined;
    if (typeof email !== 'object' || email === null || !('host' in email) || 'http_api' in email) return [];
    const path = ['receivers', i, 'email', 'host'];
    const name = String((r as { name?: unknown }).name ?? '?');
    return [problem('error', src.file, lineOf(yaml, path), path, `receiver "${name}": ${EMAIL_ON_WORKERS}`)];
  });
}

/** The routing config from the pack, or null; throws (with EMAIL_ON_WORKERS) for an SMTP email receiver. */
async function routingFrom(pack: WorkerPack, env: Readonly<Record<string, string | undefined>>): Promise<RoutingConfig | null> {
  if (pack.notifications === null) return null;
  const src = pack.notifications;
  const smtp = smtpReceiverProblems(src);
  if (smtp.length > 0) throw new ConfigError(smtp);
  return parseRoutingConfig(src.text, {
    file: src.file,
    baseDir: '/',
    env,
    readTextFile: () => Promise.reject(new Error('no files on Workers')),
    filesRefused: noFilesOnWorkers,
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
