// The probe's own enforcement config (`probe --enforcement-config FILE`): what this host lets the service make it do.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { formatProblem, type ConfigProblem } from '../../config/limits/config-problem.ts';
import { parseYamlSource } from '../../config/limits/yaml-source.ts';
import { schemaProblems } from '../../config/routing/schema-problems.ts';
import { ACTION_TYPES } from '../action.ts';

/** How the probe treats actions: refuse them all, go through every check but not act, or act. */
export const ENFORCEMENT_MODES = ['off', 'dry-run', 'on'] as const;

/** The enforcement config file's schema (snake_case keys, as admins write them); unknown keys are errors. */
export const enforcementFileSchema = z
  .object({
    mode: z.enum(ENFORCEMENT_MODES).default('dry-run'),
    allow: z.array(z.enum(ACTION_TYPES)).max(ACTION_TYPES.length * 4).default(['warn']),
    exempt_users: z.array(z.string().min(1).max(256)).max(10_000).default([]),
    protected_names: z.array(z.string().min(1).max(300)).max(10_000).default([]),
    keep_alive_max_age_h: z.number().positive().max(24 * 365).default(24),
    sigterm_grace_s: z.number().int().min(0).max(3600).default(60),
  })
  .strict();

/** The probe's enforcement settings, parsed (camelCase, units in the names). */
export interface EnforcementSettings {
  mode: (typeof ENFORCEMENT_MODES)[number];
  allow: ReadonlySet<(typeof ACTION_TYPES)[number]>;
  exemptUsers: ReadonlySet<string>;
  protectedNames: readonly string[];
  keepAliveMaxAgeH: number;
  sigtermGraceS: number;
}

/** Thrown when the enforcement config file cannot be used; the message names the file, line and key. */
export class EnforcementConfigError extends Error {
  /** Every problem found. */
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'EnforcementConfigError';
    this.problems = problems;
  }
}

function toSettings(file: z.infer<typeof enforcementFileSchema>): EnforcementSettings {
  return {
    mode: file.mode,
    allow: new Set(file.allow),
    exemptUsers: new Set(file.exempt_users),
    protectedNames: [...file.protected_names],
    keepAliveMaxAgeH: file.keep_alive_max_age_h,
    sigtermGraceS: file.sigterm_grace_s,
  };
}

/** Settings with no file: dry-run, only `warn` allowed, nobody exempt, keep-alive 24 h, 60 s grace. */
export const DEFAULT_ENFORCEMENT_SETTINGS: EnforcementSettings = toSettings(enforcementFileSchema.parse({}));

/** Parse the text of an enforcement config file (an empty file means the defaults); throws EnforcementConfigError. */
export function parseEnforcementSettings(file: string, text: string): EnforcementSettings {
  // YAML 1.2: `mode: on` and `mode: off` are the words, not booleans.
  const src = parseYamlSource(file, text, '1.2');
  const errors = src.problems.filter((p) => p.severity === 'error');
  if (!src.ok || errors.length > 0) throw new EnforcementConfigError(errors.length > 0 ? errors : src.problems);
  const parsed = enforcementFileSchema.safeParse(src.value ?? {});
  if (!parsed.success) throw new EnforcementConfigError(schemaProblems(parsed.error.issues, src, enforcementFileSchema));
  return toSettings(parsed.data);
}

/** Read and parse the enforcement config file (null path: the defaults); throws EnforcementConfigError. */
export async function loadEnforcementSettings(path: string | null): Promise<EnforcementSettings> {
  if (path === null) return DEFAULT_ENFORCEMENT_SETTINGS;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new EnforcementConfigError([{ severity: 'error', file: path, line: null, keyPath: '', message: `cannot be read: ${(err as Error).message}` }]);
  }
  return parseEnforcementSettings(path, text);
}
