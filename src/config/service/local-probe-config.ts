// The `local_probe:` section of gpuwarden.yaml: serve also probes the machine it runs on (one box, one command).
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { durationProblem, parseDurationMs } from '../../format/duration.ts';

const path = z.string().min(1, 'must be a path');

/** A duration in the shared grammar (30s, 5m), at least 1ms. */
const duration = z.string().superRefine((text, ctx) => {
  const problem = durationProblem(text);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  else if (parseDurationMs(text) < 1) ctx.addIssue({ code: 'custom', message: `"${text}" is not a positive duration: use at least 1ms, e.g. 500ms, 30s or 5m` });
});

/** A redaction pattern: a JavaScript regex that cannot match the empty string (the probe compiles it again at start). */
const redactPattern = z.string().superRefine((source, ctx) => {
  try {
    if (source === '' || new RegExp(source).test('')) ctx.addIssue({ code: 'custom', message: 'matches the empty string, so it would mask nothing useful' });
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `not a valid regular expression (${(err as Error).message})` });
  }
});

/** `local_probe:` as written; every key optional, unknown keys rejected. The flags of `serve --local-probe` win. */
export const localProbeFileSchema = z.strictObject({
  enabled: z.boolean().optional(),
  interval: duration.optional(),
  host: z
    .string()
    .max(253)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'is not a host name (letters, digits, ".", "_", "-")')
    .optional(),
  nvidia_smi: path.optional(),
  nvidia_smi_timeout: duration.optional(),
  docker: z.boolean().optional(),
  docker_socket: path.optional(),
  proc_root: path.optional(),
  sysfs_root: path.optional(),
  home_root: path.optional(),
  redact: z.array(redactPattern).max(1000).optional(),
  enforcement_config: path.optional(),
});

/** The `local_probe:` section after loading: durations in ms, paths absolute; null = not written (the probe's default). */
export interface LocalProbeConfig {
  enabled: boolean;
  intervalMs: number | null;
  /** The host name snapshots carry; null = this machine's hostname. */
  host: string | null;
  /** A bare name (looked up in PATH) stays as written; a path is made absolute. */
  nvidiaSmiPath: string | null;
  nvidiaSmiTimeoutMs: number | null;
  /** false = Docker is not read (a declared choice, like probe --no-docker). */
  docker: boolean;
  dockerSocketPath: string | null;
  procRoot: string | null;
  sysfsRoot: string | null;
  homeRoot: string | null;
  redact: string[];
  /** The probe's enforcement config (default: dry-run, warn only). */
  enforcementConfigPath: string | null;
}

/** Resolve a parsed `local_probe:` section; relative paths are relative to the config file's folder (baseDir). */
export function resolveLocalProbeConfig(raw: z.infer<typeof localProbeFileSchema>, baseDir: string): LocalProbeConfig {
  const at = (p: string | undefined): string | null => (p === undefined ? null : resolve(baseDir, p));
  const command = (p: string | undefined): string | null => (p === undefined ? null : p.includes('/') && !isAbsolute(p) ? resolve(baseDir, p) : p);
  return {
    enabled: raw.enabled ?? true,
    intervalMs: raw.interval === undefined ? null : parseDurationMs(raw.interval),
    host: raw.host ?? null,
    nvidiaSmiPath: command(raw.nvidia_smi),
    nvidiaSmiTimeoutMs: raw.nvidia_smi_timeout === undefined ? null : parseDurationMs(raw.nvidia_smi_timeout),
    docker: raw.docker ?? true,
    dockerSocketPath: at(raw.docker_socket),
    procRoot: at(raw.proc_root),
    sysfsRoot: at(raw.sysfs_root),
    homeRoot: at(raw.home_root),
    redact: raw.redact ?? [],
    enforcementConfigPath: at(raw.enforcement_config),
  };
}
