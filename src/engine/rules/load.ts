import type { z } from 'zod';
import type { ActionType } from '../../enforcement/action.ts';
import { ACTION_SCOPES } from '../../enforcement/action-scopes.ts';
import { SEVERITY_ORDER } from '../finding.ts';
import { SCOPES, type Scope } from '../subject.ts';
import { checkConditions, type PlacedProblem } from './check-conditions.ts';
import { checkTemplate } from './check-template.ts';
import { parseDuration } from '../../format/duration.ts';
import { appendJsonPath, isJsonObject, jsonTypeOf } from './json-path.ts';
import { parseJson } from './json-syntax.ts';
import type { RuleProblem } from './rule-problem.ts';
import { ruleSchema, type Rule } from './rule-schema.ts';
import { didYouMean } from './suggest.ts';
import { zodProblems } from './zod-issues.ts';

/** A rules file's name (as it should appear in messages) and its text. */
export interface RuleFileText {
  path: string;
  text: string;
}

/** What the loader checks names against; a scope left out accepts any name. */
export interface LoadOptions {
  /** The fact catalogue: fact names per scope. Unknown facts in conditions and templates are errors. */
  knownFacts?: Partial<Record<Scope, readonly string[]>>;
  /** Subject label names per scope; `{{labels.X}}` must name one of them or one of the rule's own labels. */
  knownLabels?: Partial<Record<Scope, readonly string[]>>;
}

/** The rules that loaded cleanly, and every problem found (a rule with a problem is left out). */
export interface LoadResult {
  rules: Rule[];
  problems: RuleProblem[];
}

type Segment = PropertyKey;
type ZodIssue = z.core.$ZodIssue;

function startsWith(path: readonly Segment[], prefix: readonly Segment[]): boolean {
  return prefix.every((s, i) => path[i] === s);
}

function isScope(value: unknown): value is Scope {
  return (SCOPES as readonly unknown[]).includes(value);
}

/** Condition trees of a raw rule (the rule's and each stage's), found before validation so they get precise checks. */
function conditionTrees(raw: Record<string, unknown>): { prefix: Segment[]; node: unknown }[] {
  const trees: { prefix: Segment[]; node: unknown }[] = [];
  if (Object.hasOwn(raw, 'conditions')) trees.push({ prefix: ['conditions'], node: raw.conditions });
  if (Array.isArray(raw.stages)) {
    raw.stages.forEach((s: unknown, i) => {
      if (isJsonObject(s) && Object.hasOwn(s, 'conditions')) trees.push({ prefix: ['stages', i, 'conditions'], node: s.conditions });
    });
  }
  return trees;
}

function crossFieldProblems(rule: Rule, base: string): PlacedProblem[] {
  const out: PlacedProblem[] = [];
  const stageIds: string[] = [];
  let previous = SEVERITY_ORDER.indexOf(rule.severity);
  rule.stages.forEach((stage, i) => {
    const at = appendJsonPath(appendJsonPath(base, 'stages'), i);
    if (stageIds.includes(stage.id)) out.push({ jsonPath: appendJsonPath(at, 'id'), message: `duplicate stage id "${stage.id}"` });
    stageIds.push(stage.id);
    if ((SEVERITY_ORDER as readonly string[]).includes(stage.id) && stage.id !== stage.severity) {
      out.push({ jsonPath: appendJsonPath(at, 'id'), message: `stage "${stage.id}" has severity "${stage.severity}": name the stage for what it means (e.g. "limit", "none-free"), not for another severity` });
    }
    const level = SEVERITY_ORDER.indexOf(stage.severity);
    if (level < previous) {
      const before = i === 0 ? `the rule's severity "${rule.severity}"` : `stage "${rule.stages[i - 1]?.id ?? ''}" (${rule.stages[i - 1]?.severity ?? ''})`;
      out.push({ jsonPath: appendJsonPath(at, 'severity'), message: `stages escalate: "${stage.severity}" is less severe than ${before}` });
    }
    previous = Math.max(previous, level);
  });
  rule.actions.forEach((action, i) => {
    if (action.stage !== undefined && !stageIds.includes(action.stage)) {
      const at = appendJsonPath(appendJsonPath(appendJsonPath(base, 'actions'), i), 'stage');
      out.push({ jsonPath: at, message: `unknown stage "${action.stage}"${didYouMean(action.stage, stageIds)}` });
    }
  });
  const actionsAt: [string, { type: ActionType }][] = [
    ...rule.actions.map((a, i) => [appendJsonPath(appendJsonPath(appendJsonPath(base, 'actions'), i), 'type'), a] as [string, { type: ActionType }]),
    ...rule.stages.flatMap((s, i) =>
      (s.actions ?? []).map((a, j) => [appendJsonPath(appendJsonPath(appendJsonPath(appendJsonPath(appendJsonPath(base, 'stages'), i), 'actions'), j), 'type'), a] as [string, { type: ActionType }]),
    ),
  ];
  for (const [jsonPath, action] of actionsAt) {
    const scopes = ACTION_SCOPES[action.type];
    if (!scopes.includes(rule.scope)) {
      out.push({ jsonPath, message: `${action.type} acts on ${scopes.map((sc) => `a ${sc}`).join(' or ')}; this rule's scope is ${rule.scope}` });
    }
  }
  return out;
}

function toRule(data: ReturnType<typeof ruleSchema.parse>): Rule {
  const forSec = parseDuration(data.for);
  return {
    id: data.id,
    file: '',
    enabled: data.enabled,
    scope: data.scope,
    severity: data.severity,
    for: data.for,
    forSec,
    keepFiringForSec: data.keepFiringFor === undefined ? null : parseDuration(data.keepFiringFor),
    priority: data.priority ?? 1,
    labels: data.labels,
    summary: data.summary,
    description: data.description,
    notify: data.notify,
    conditions: data.conditions,
    event: data.event ?? { type: data.id },
    stages: data.stages.map((s) => ({
      id: s.id,
      severity: s.severity,
      for: s.for ?? data.for,
      forSec: s.for === undefined ? forSec : parseDuration(s.for),
      conditions: s.conditions,
      actions: s.actions ?? [],
      summary: s.summary ?? null,
      description: s.description ?? null,
    })),
    actions: data.actions,
    approve: data.approve,
  };
}

/** Validate one raw rule at `base` (`$` or `$[i]`); returns the rule when there is no problem. */
export function loadRule(raw: unknown, base: string, options: LoadOptions = {}): { rule: Rule | null; problems: PlacedProblem[] } {
  if (!isJsonObject(raw)) {
    const what = base === '$' ? 'a rules file holds one rule object or a list of rules' : 'expected a rule object';
    return { rule: null, problems: [{ jsonPath: base, message: `${what}, got ${jsonTypeOf(raw)}` }] };
  }
  const scope = isScope(raw.scope) ? raw.scope : null;
  const facts = scope === null ? null : (options.knownFacts?.[scope] ?? null);
  const scopeLabels = scope === null ? null : (options.knownLabels?.[scope] ?? null);
  const ownLabels = isJsonObject(raw.labels) ? Object.keys(raw.labels) : [];
  const parsed = ruleSchema.safeParse(raw, { reportInput: true });
  const issues: readonly ZodIssue[] = parsed.success ? [] : parsed.error.issues;
  const trees = conditionTrees(raw);
  const treeOf = (issue: ZodIssue) => trees.find((t) => startsWith(issue.path, t.prefix));
  const problems = zodProblems(issues.filter((i) => treeOf(i) === undefined), base);
  for (const tree of trees) {
    const walked = checkConditions(tree.node, tree.prefix.reduce<string>((p, s) => appendJsonPath(p, s as string | number), base), {
      scope: scope ?? 'unknown',
      facts,
    });
    // The walker's messages are the precise ones; zod's stand in only if the walker missed something.
    problems.push(...(walked.length > 0 ? walked : zodProblems(issues.filter((i) => treeOf(i) === tree), base)));
  }
  const templateCtx = { scope: scope ?? 'unknown', facts, labels: scopeLabels === null ? null : [...scopeLabels, ...ownLabels] };
  const stages = Array.isArray(raw.stages) ? raw.stages : [];
  const owners: [Record<string, unknown>, string][] = [[raw, base]];
  stages.forEach((stage: unknown, i) => {
    if (isJsonObject(stage)) owners.push([stage, appendJsonPath(appendJsonPath(base, 'stages'), i)]);
  });
  for (const [owner, at] of owners) {
    for (const key of ['summary', 'description'] as const) {
      const text = owner[key];
      if (typeof text === 'string') problems.push(...checkTemplate(text, appendJsonPath(at, key), templateCtx));
    }
  }
  if (!parsed.success || problems.length > 0) return { rule: null, problems };
  const rule = toRule(parsed.data);
  const cross = crossFieldProblems(rule, base);
  return cross.length > 0 ? { rule: null, problems: cross } : { rule, problems: [] };
}

/** Load rules from file texts (pure): JSON syntax, schema, facts, operators, templates and duplicate ids. */
export function loadRules(files: readonly RuleFileText[], options: LoadOptions = {}): LoadResult {
  const rules: Rule[] = [];
  const problems: RuleProblem[] = [];
  const firstSeen = new Map<string, { file: string; jsonPath: string }>();
  for (const file of files) {
    const parsed = parseJson(file.text);
    if (!parsed.ok) {
      const { line, column, message } = parsed.problem;
      problems.push({ file: file.path, ruleId: null, jsonPath: '$', message: `invalid JSON at line ${line}, column ${column}: ${message}` });
      continue;
    }
    const entries: [unknown, string][] = Array.isArray(parsed.value) ? parsed.value.map((v: unknown, i) => [v, `$[${i}]`]) : [[parsed.value, '$']];
    for (const [raw, base] of entries) {
      const id = isJsonObject(raw) && typeof raw.id === 'string' ? raw.id : null;
      const loaded = loadRule(raw, base, options);
      for (const p of loaded.problems) problems.push({ file: file.path, ruleId: id, ...p });
      let duplicate = false;
      if (id !== null) {
        const first = firstSeen.get(id);
        if (first === undefined) firstSeen.set(id, { file: file.path, jsonPath: base });
        else {
          duplicate = true;
          const where = first.file === file.path ? `at ${first.jsonPath} of this file` : `in ${first.file}`;
          problems.push({ file: file.path, ruleId: id, jsonPath: appendJsonPath(base, 'id'), message: `duplicate rule id "${id}": first defined ${where}` });
        }
      }
      if (loaded.rule !== null && !duplicate) rules.push({ ...loaded.rule, file: file.path });
    }
  }
  return { rules, problems };
}
