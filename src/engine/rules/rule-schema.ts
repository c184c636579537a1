import { z } from 'zod';
import { SEVERITY_ORDER, type Severity } from '../finding.ts';
import { SCOPES, type Scope } from '../subject.ts';
import { topLevelConditionSchema, type TopLevelCondition } from './condition-schema.ts';
import { DURATION_PATTERN, durationProblem } from '../../format/duration.ts';
import { ACTION_TYPES } from '../../enforcement/action.ts';

/** Rule, stage and receiver ids: lower-case words joined by single dashes. */
export const KEBAB_CASE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Label names, as in Prometheus. */
export const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export { ACTION_TYPES } from '../../enforcement/action.ts';

/** Built-in receivers: the subject's owner and the admins; other names are configured receivers. */
export const BUILTIN_RECEIVERS = ['owner', 'admins'] as const;

const kebab = (what: string) =>
  z.string().regex(KEBAB_CASE, { error: (iss) => `${what} ${JSON.stringify(iss.input)} must be kebab-case (e.g. "gpu-idle")` });

const duration = z
  .string()
  .regex(DURATION_PATTERN, { error: (iss) => durationProblem(String(iss.input)) ?? 'invalid duration', abort: true })
  .refine((s) => durationProblem(s) === null, { error: (iss) => durationProblem(String(iss.input)) ?? 'invalid duration' })
  .describe('How long the conditions must hold before the alert fires: 0s, 30s, 5m, 2h, 1d.');

const severity = z.enum(SEVERITY_ORDER as [Severity, ...Severity[]]).describe('info, warning or critical.');
const params = z.record(z.string(), z.unknown());

const actionParams = z
  .strictObject({
    remove: z.boolean().optional().describe('stop-container: remove the container once stopped (frees its GPU).'),
    graceS: z.number().int().min(0).max(3600).optional().describe("Seconds between SIGTERM and SIGKILL; default: the probe's sigterm_grace_s."),
    message: z.string().min(1).max(2000).optional().describe("warn: the text for the person's terminals; default: the alert's summary and description."),
  })
  .describe('How the probe carries the action out.');
const actionEnabled = z
  .boolean()
  .default(true)
  .describe('false: the stage says what would be done, and nothing is planned (turn on to act).');

const stageActionSchema = z.strictObject({
  type: z.enum(ACTION_TYPES),
  params: actionParams.optional(),
  enabled: actionEnabled,
});

const ruleActionSchema = z.strictObject({
  type: z.enum(ACTION_TYPES),
  stage: kebab('stage id').optional().describe('Only when this stage is reached.'),
  params: actionParams.optional(),
  enabled: actionEnabled,
});

const stageSchema = z.strictObject({
  id: kebab('stage id'),
  severity,
  for: duration.optional().describe("Defaults to the rule's `for`."),
  conditions: topLevelConditionSchema,
  actions: z.array(stageActionSchema).optional(),
  summary: z.string().min(1).optional().describe("Replaces the rule's summary at this stage; same placeholders."),
  description: z.string().optional().describe("Replaces the rule's description at this stage; same placeholders."),
});

const receiver = z.union([
  z.enum(BUILTIN_RECEIVERS),
  z.string().regex(KEBAB_CASE, { error: (iss) => `receiver ${JSON.stringify(iss.input)} must be "owner", "admins" or a kebab-case receiver name` }),
]);

/** One rule as written in a rules/*.json file: a json-rules-engine rule plus gpuwarden's metadata. */
export const ruleSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: kebab('rule id').describe('Unique across the pack.'),
    enabled: z.boolean().default(true),
    scope: z.enum(SCOPES).describe('Which subjects the rule iterates over.'),
    severity,
    for: duration.default('0s'),
    keepFiringFor: duration
      .optional()
      .describe(
        "How long a firing alert stays firing after its conditions stop holding (Prometheus' keep_firing_for): flapping conditions send one firing and one resolved notice. Default: two probe intervals; \"0s\" resolves at once.",
      ),
    priority: z.number().int().positive().optional().describe('json-rules-engine priority (stored; does not change results).'),
    labels: z
      .record(z.string().regex(LABEL_NAME, { error: (iss) => `label name ${JSON.stringify(iss.input)} must match ${LABEL_NAME.source}` }), z.string())
      .default({})
      .describe('Extra static labels added to every finding.'),
    summary: z.string().min(1).describe('One line; placeholders {{labels.X}}, {{facts.X}}, {{rule.id}}, with filters {{facts.X | minutes}}.'),
    description: z.string().default('').describe('Longer text; same placeholders as summary.'),
    notify: z.array(receiver).default([]).describe('"owner", "admins" or receiver names.'),
    conditions: topLevelConditionSchema,
    event: z
      .strictObject({ type: z.string().min(1), params: params.optional() })
      .optional()
      .describe('json-rules-engine event; defaults to {type: <id>}.'),
    stages: z.array(stageSchema).default([]).describe('Escalation steps, checked in order when the conditions match; the last match wins.'),
    actions: z.array(ruleActionSchema).default([]),
    approve: z
      .boolean()
      .default(false)
      .describe('true: planned actions wait for `gpuwarden actions approve ID` before they are sent to the host.'),
  })
  .meta({ id: 'rule', description: 'A gpuwarden rule: a json-rules-engine rule plus metadata.' });

/** A rules file: one rule, or an array of rules. */
export const ruleFileSchema = z.union([ruleSchema, z.array(ruleSchema)]);

/** A rule as written (before defaults). */
export type RuleInput = z.input<typeof ruleSchema>;

/** What a stage may ask for. */
export type StageAction = z.infer<typeof stageActionSchema>;

/** What a rule may ask for, optionally tied to a stage. */
export type RuleAction = z.infer<typeof ruleActionSchema>;

/** One escalation step of a rule, with durations resolved (`forSec` falls back to the rule's). */
export interface RuleStage {
  id: string;
  severity: Severity;
  for: string;
  forSec: number;
  conditions: TopLevelCondition;
  actions: StageAction[];
  /** This stage's own summary / description template, or null to use the rule's. */
  summary: string | null;
  description: string | null;
}

/** A validated rule with defaults applied and durations resolved; `file` is where it came from. */
export interface Rule {
  id: string;
  file: string;
  enabled: boolean;
  scope: Scope;
  severity: Severity;
  for: string;
  forSec: number;
  /** keep_firing_for in seconds; null = the pack default (two probe intervals). */
  keepFiringForSec: number | null;
  priority: number;
  labels: Record<string, string>;
  summary: string;
  description: string;
  notify: string[];
  conditions: TopLevelCondition;
  event: { type: string; params?: Record<string, unknown> };
  stages: RuleStage[];
  actions: RuleAction[];
  /** Planned actions wait for an admin's approval. */
  approve: boolean;
}

/** The JSON Schema of a rules file (for editors: `"$schema": "./rule.schema.json"`). */
export function ruleJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ruleFileSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return { ...schema, $id: 'https://gpuwarden.dev/rule.schema.json', title: 'gpuwarden rules file' };
}

/** The committed text of rules/rule.schema.json. */
export function ruleJsonSchemaText(): string {
  return `${JSON.stringify(ruleJsonSchema(), null, 2)}\n`;
}
