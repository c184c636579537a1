import { packagedRulesDir } from '../package-files.ts';
import { readFile, stat } from 'node:fs/promises';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Alert } from '../alerts/alert.ts';
import { loadLimits } from '../config/limits/load.ts';
import { loadRoutingConfigForDryRun } from '../config/routing/load.ts';
import type { RenderedMessage } from '../notify/notifier.ts';
import { renderMessage } from '../notify/render/render.ts';
import { staleText } from '../notify/render/staleness.ts';
import { buildSnapshot, DEFAULT_BUILD_OPTIONS } from '../probe/build-snapshot.ts';
import { readCaptureDir } from '../probe/capture-dir.ts';
import { createCore } from '../service/ingest.ts';
import { defaultLimitsView, limitsViewFromConfig } from '../service/limits-view-from-config.ts';
import { loadRuleSet } from '../service/make-core.ts';
import { type HostSnapshot, hostSnapshotSchema } from '../snapshot/schema.ts';
import { createMemoryStore } from '../store/memory/memory-store.ts';
import type { CliIo } from './io.ts';
import { parseIntervalMs } from '../probe/push/duration.ts';
import { UsageError } from './usage-error.ts';

/** Usage text of this command (kept in usage.ts so help never loads the command). */
export { RULES_TEST_USAGE } from './usage.ts';

async function readInput(path: string, kind: 'capture' | 'file'): Promise<HostSnapshot> {
  if (kind === 'capture') return buildSnapshot(await readCaptureDir(path), DEFAULT_BUILD_OPTIONS);
  const parsed = hostSnapshotSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`${path}: not a HostSnapshot (${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'})`);
  }
  return parsed.data;
}

/** Inputs in command-line order: --replay folders and positional files, interleaved as given. */
type ParsedToken = NonNullable<ReturnType<typeof parseArgs<ParseArgsConfig & { tokens: true }>>['tokens']>[number];
type Input = { path: string; kind: 'capture' | 'file' };
function orderedInputs(tokens: readonly ParsedToken[]): Input[] {
  return tokens.flatMap((t): Input[] => {
    if (t.kind === 'positional') return [{ path: t.value, kind: 'file' }];
    if (t.kind === 'option' && t.name === 'replay') return [{ path: t.value ?? '', kind: 'capture' }];
    return [];
  });
}

function retime(s: HostSnapshot, at: string | undefined): HostSnapshot {
  if (at === undefined) return s;
  if (Number.isNaN(Date.parse(at))) throw new UsageError(`--at ${at}: not an ISO 8601 time`);
  const takenAt = new Date(at).toISOString();
  return { ...s, takenAt, id: `${s.host}@${takenAt}` };
}

/** One row of the table: the rule and stage, how serious, which state, what it says, and its identity (labels). */
export function table(rows: { rule: string; stage: string | null; severity: string; state: string; summary: string; labels: Record<string, string>; stale?: Alert['stale'] }[]): string {
  if (rows.length === 0) return 'no alerts\n';
  const cells = rows.map((r) => {
    // A stale alert keeps its state unconfirmed: say so, and since when (staleText).
    const stale = staleText(r);
    const state = stale === null ? r.state : `${r.state} (stale)`;
    const summary = stale === null ? r.summary : `${r.summary} [${stale}]`;
    return [r.rule, r.stage ?? '-', r.severity, state, summary, Object.entries(r.labels).map(([k, v]) => `${k}=${v}`).join(' ')];
  });
  const head = ['RULE', 'STAGE', 'SEVERITY', 'STATE', 'SUMMARY', 'LABELS'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  return `${[head, ...cells].map((c) => c.map((x, i) => x.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n')}\n`;
}

/** The messages one alert produces: for its user (when it names one) and for the admins, as the notifiers send them. */
function renderings(a: Alert, contact: string | null): { user?: RenderedMessage; admin: RenderedMessage } {
  const group = (audience: 'user' | 'admin', user: string | null) =>
    renderMessage(
      { receiver: audience === 'user' ? 'owner' : 'admins', audience, user, groupKey: a.rule, groupLabels: { alertname: a.rule }, alerts: [{ alert: a, reason: a.state === 'resolved' ? 'resolved' : 'firing' }] },
      { contact },
    );
  const user = a.labels.user;
  return { ...(user === undefined ? {} : { user: group('user', user) }), admin: group('admin', null) };
}

function renderText(a: Alert, contact: string | null): string {
  const r = renderings(a, contact);
  const pending = a.state === 'pending' ? ' (pending: not sent unless it fires)' : '';
  const parts = [`\n===== ${a.rule} ${Object.entries(a.labels).map(([k, v]) => `${k}=${v}`).join(' ')}${pending}`];
  for (const [who, m] of [['the person concerned', r.user], ['the admins', r.admin]] as const) {
    if (m === undefined) continue;
    parts.push(`----- email to ${who}`, `Subject: ${m.email.subject}`, '', m.email.text.trimEnd(), `----- Slack to ${who}`, JSON.stringify({ text: m.slack.text, blocks: m.slack.blocks }, null, 2));
  }
  return `${parts.join('\n')}\n`;
}

/** parseArgs options of `gpuwarden rules test`. */
export const RULES_TEST_FLAGS = {
  replay: { type: 'string', multiple: true }, at: { type: 'string', multiple: true }, json: { type: 'boolean' }, render: { type: 'boolean' },
  rules: { type: 'string' }, limits: { type: 'string' }, interval: { type: 'string' }, 'silent-after': { type: 'string' }, notifications: { type: 'string' },
} as const;

/** `gpuwarden rules test`: what the rule pack says about captures or snapshot files. */
export async function rulesTestCommand(args: string[], io: CliIo): Promise<number> {
  const rest = args[0] === 'test' ? args.slice(1) : args;
  const { values, tokens } = parseArgs({
    args: rest,
    options: RULES_TEST_FLAGS,
    allowPositionals: true,
    strict: true,
    tokens: true,
  });
  const inputs = orderedInputs(tokens);
  if (inputs.length === 0) throw new UsageError('rules test needs at least one --replay DIR or snapshot file');
  const at = values.at ?? [];
  if (at.length > 0 && at.length !== inputs.length) throw new UsageError(`give one --at per input: ${inputs.length} input(s), ${at.length} --at`);
  let probeIntervalS = 30;
  if (values.interval !== undefined) {
    try {
      probeIntervalS = parseIntervalMs(values.interval) / 1000;
    } catch (err) {
      throw new UsageError(`--interval: ${(err as Error).message}`);
    }
  }
  const timing = { probeIntervalS, hostSilentAfterIntervals: Number(values['silent-after'] ?? 3), fairShareHalfLifeH: 24 };
  if (!Number.isSafeInteger(timing.hostSilentAfterIntervals) || timing.hostSilentAfterIntervals < 1) throw new UsageError('--silent-after must be a whole number of intervals, 1 or more');
  for (const input of inputs) {
    if (input.kind === 'capture' && !(await stat(input.path).then((s) => s.isDirectory(), () => false))) throw new UsageError(`--replay ${input.path}: not a folder`);
  }
  const contact = values.notifications === undefined ? null : ((await loadRoutingConfigForDryRun(values.notifications)).contact ?? null);
  const rules = loadRuleSet(values.rules ?? packagedRulesDir());
  const limits = values.limits === undefined ? defaultLimitsView(timing) : limitsViewFromConfig((await loadLimits(values.limits)).config, timing);
  const store = createMemoryStore();
  const core = createCore({ store, rules, limits });
  for (const [i, input] of inputs.entries()) {
    const snapshot = retime(await readInput(input.path, input.kind), at[i]);
    await core.ingest(snapshot, new Date(snapshot.takenAt));
  }
  const alerts = (await store.listAlerts({})).filter((a) => a.state !== 'resolved');
  alerts.sort((a, b) => a.rule.localeCompare(b.rule) || JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));
  const rows = alerts.map((a) => ({
    rule: a.rule, severity: a.severity, state: a.state, labels: a.labels, stage: a.stage, summary: a.annotations.summary, stale: a.stale ?? null,
    ...(values.render === true ? { rendered: renderings(a, contact) } : {}),
  }));
  if (values.json === true) io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
  else {
    io.stdout(table(rows));
    if (values.render === true) for (const a of alerts) io.stdout(renderText(a, contact));
  }
  return 0;
}
