// `docker inspect` holds each container's command and environment (WANDB_API_KEY=…): mask them before the
// probe keeps the output (capture folders store it as docker-inspect.json). Owner labels and mounts are untouched.
import { redactArgv, type RedactionRules } from './redact-argv.ts';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function maskStrings(list: unknown, rules: RedactionRules, oneByOne: boolean): unknown {
  if (!Array.isArray(list) || !list.every((x): x is string => typeof x === 'string')) return list;
  return oneByOne ? list.map((x) => redactArgv([x], rules).argv[0] ?? x) : redactArgv(list, rules).argv;
}

/** Inspect output (one object per container) with `Args`, `Config.Cmd`, `Config.Entrypoint` and `Config.Env` masked. */
export function redactDockerInspect(inspect: unknown, rules: RedactionRules): unknown {
  if (!Array.isArray(inspect)) return inspect;
  return inspect.map((c: unknown) => {
    if (!isRecord(c)) return c;
    const out: Record<string, unknown> = { ...c };
    if ('Args' in c) out.Args = maskStrings(c.Args, rules, false);
    if (isRecord(c.Config)) {
      const config: Record<string, unknown> = { ...c.Config };
      if ('Cmd' in config) config.Cmd = maskStrings(config.Cmd, rules, false);
      if ('Entrypoint' in config) config.Entrypoint = maskStrings(config.Entrypoint, rules, false);
      if ('Env' in config) config.Env = maskStrings(config.Env, rules, true);
      out.Config = config;
    }
    return out;
  });
}
