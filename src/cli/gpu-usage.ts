import { parseArgs } from 'node:util';
import { buildSnapshot, DEFAULT_BUILD_OPTIONS } from '../probe/build-snapshot.ts';
import { readCaptureDir } from '../probe/capture-dir.ts';
import { collectRaw, createCollectSession } from '../probe/collect.ts';
import { formatDurationSeconds } from '../format/duration-words.ts';
import type { HostSnapshot } from '../snapshot/schema.ts';
import { usageByUser, usageRows, type UsageRow, type UserUsage } from '../usage/rows.ts';
import { filterUsage, sortUsage, sortUsers, USAGE_SORTS, type UsageFilter, type UsageSort } from '../usage/select.ts';
import { runAdminRequest, ServiceError } from './admin-client.ts';
import type { CliIo } from './io.ts';
import { renderColumns } from './render-table.ts';
import { collectOptionsFrom } from './source-options.ts';
import { UsageError } from './usage-error.ts';

/** Usage text of this command (kept in usage.ts so help never loads the command). */
export { USAGE_USAGE } from './usage.ts';

/** parseArgs options of `gpuwarden usage`. */
export const USAGE_FLAGS = {
  user: { type: 'string' },
  host: { type: 'string' },
  gpu: { type: 'string' },
  container: { type: 'string' },
  sort: { type: 'string' },
  json: { type: 'boolean' },
  local: { type: 'boolean' },
  replay: { type: 'string' },
  url: { type: 'string' },
  'token-file': { type: 'string' },
  'nvidia-smi': { type: 'string' },
  'nvidia-smi-timeout-ms': { type: 'string' },
  'docker-socket': { type: 'string' },
  'no-docker': { type: 'boolean' },
  'home-root': { type: 'string' },
  'proc-root': { type: 'string' },
  'sysfs-root': { type: 'string' },
} as const;

const LIVE_FLAGS = ['nvidia-smi', 'nvidia-smi-timeout-ms', 'docker-socket', 'no-docker', 'home-root', 'proc-root', 'sysfs-root'] as const;

/** `gpuwarden usage`: who holds and uses which GPU now, per user and per container. Exit 0 ok, 1 failed; UsageError. */
export async function usageCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: USAGE_FLAGS, allowPositionals: true, strict: true });
  if (positionals.length > 0) throw new UsageError(`usage takes no arguments, got "${positionals.join(' ')}"; filter with --user, --host, --gpu, --container`);
  for (const key of ['user', 'host', 'container'] as const) if (values[key] === '') throw new UsageError(`--${key} must not be empty`);
  if (values.gpu !== undefined && !/^\d{1,3}(:\d{1,3})?$/.test(values.gpu)) throw new UsageError(`--gpu "${values.gpu}" is not a GPU: use its index (0) or a MIG instance (0:2)`);
  if (values.sort !== undefined && !(USAGE_SORTS as readonly string[]).includes(values.sort)) {
    throw new UsageError(`--sort "${values.sort}" is not an order: use ${USAGE_SORTS.join(', ')}`);
  }
  const filter: UsageFilter = {};
  for (const key of ['user', 'host', 'gpu', 'container'] as const) if (values[key] !== undefined) filter[key] = values[key];
  const sort = (values.sort ?? 'gpueq') as UsageSort;
  const render = (snapshots: readonly HostSnapshot[], idleS: IdleSeconds = {}): string => renderUsage(snapshots, filter, sort, values.json === true, idleS);

  if (values.local !== true) {
    if (values.replay !== undefined) throw new UsageError('--replay needs --local (it replays a capture instead of asking the service)');
    const live = LIVE_FLAGS.find((f) => values[f] !== undefined);
    if (live !== undefined) throw new UsageError(`--${live} steers the local probe; it needs --local`);
    const query = values.host === undefined ? '' : `?host=${encodeURIComponent(values.host)}`;
    const request = { method: 'GET' as const, path: `/v1/snapshots/latest${query}`, render: (reply: unknown) => render(snapshotsOf(reply), idleOf(reply)) };
    return runAdminRequest(io, { command: 'usage', sub: null }, { url: values.url, tokenFile: values['token-file'] }, request);
  }
  for (const flag of ['url', 'token-file'] as const) if (values[flag] !== undefined) throw new UsageError(`--${flag} asks the service; --local reads this host instead (leave one out)`);
  const buildOptions = { ...DEFAULT_BUILD_OPTIONS, homeRoot: values['home-root'] ?? DEFAULT_BUILD_OPTIONS.homeRoot };
  let snapshot: HostSnapshot;
  if (values.replay !== undefined) {
    const live = LIVE_FLAGS.find((f) => f !== 'home-root' && values[f] !== undefined);
    if (live !== undefined) throw new UsageError(`--${live} steers live collection; a replayed capture was collected already (leave it out)`);
    snapshot = buildSnapshot(await readCaptureDir(values.replay), buildOptions);
  } else {
    // --host filters the rows here; it never renames the host the probe reports.
    const { host: _filterHost, ...sourceValues } = values;
    snapshot = buildSnapshot(await collectRaw(collectOptionsFrom(sourceValues, io.env), createCollectSession()), buildOptions);
  }
  io.stdout(render([snapshot]));
  if (snapshot.errors.length > 0) io.stderr(`warning: ${snapshot.errors.length} source error(s) (${[...new Set(snapshot.errors.map((e) => e.source))].join(', ')}): the picture may be incomplete\n`);
  return 0;
}

/** Seconds each container has been idle, by host and container id (what the service knows). */
export type IdleSeconds = Readonly<Record<string, Readonly<Record<string, number>>>>;

function idleOf(body: unknown): IdleSeconds {
  const idle = (body as { idleS?: unknown } | null)?.idleS;
  return typeof idle === 'object' && idle !== null && !Array.isArray(idle) ? (idle as IdleSeconds) : {};
}

function snapshotsOf(body: unknown): HostSnapshot[] {
  const list = (body as { snapshots?: unknown } | null)?.snapshots;
  if (!Array.isArray(list)) throw new ServiceError('the service answered without a list of snapshots');
  return list as HostSnapshot[];
}

/** The filtered, sorted rows and per-user totals of `snapshots`, as the usage table or `--json` text. Pure. */
export function renderUsage(snapshots: readonly HostSnapshot[], filter: UsageFilter, sort: UsageSort, json: boolean, idleS: IdleSeconds = {}): string {
  const rows = sortUsage(filterUsage(snapshots.flatMap((s) => usageRows(s, { idleSByContainer: idleS[s.host] ?? {} })), filter), sort);
  const users = sortUsers(usageByUser(rows), sort);
  if (json) return `${JSON.stringify({ takenAt: Object.fromEntries(snapshots.map((s) => [s.host, s.takenAt])), users, containers: rows }, null, 2)}\n`;
  if (snapshots.length === 0) return 'No snapshots yet: no host has sent one since the service started.\n';
  const taken = snapshots.map((s) => `${s.host} at ${s.takenAt}`).join(', ');
  if (rows.length === 0) return `Nothing holds or uses a GPU${Object.keys(filter).length > 0 ? ' that matches the filters' : ''} (${taken}).\n`;
  return `Snapshots: ${taken}\n\nBy user:\n${renderUsers(users)}\nBy container:\n${renderRows(rows)}`;
}

const gpuEq = (n: number): string => (Math.round(n * 100) / 100).toString();
const mib = (n: number | null): string => (n === null ? '-' : `${Math.round(n)} MiB`);

function renderUsers(users: readonly UserUsage[]): string {
  return renderColumns(['USER', 'HOSTS', 'CONTAINERS', 'GPU-EQ', 'MEMORY', 'PROCS'], users.map((u) => [
    u.user ?? '(unknown)', u.hosts.join(','), String(u.containers), gpuEq(u.gpuEquivalents), mib(u.memoryMiB), String(u.processCount),
  ]));
}

function renderRows(rows: readonly UsageRow[]): string {
  return renderColumns(['HOST', 'GPU', 'USER', 'CONTAINER', 'GPU-EQ', 'MEMORY', 'UTIL', 'IDLE', 'PROCS'], rows.map((r) => [
    r.host, r.gpus.join(',') || '-', r.user ?? '(unknown)', r.container ?? '(host)', gpuEq(r.gpuEquivalents), mib(r.memoryMiB),
    r.utilizationPct === null ? '-' : `${Math.round(r.utilizationPct)}%`, r.idleS === null ? '-' : formatDurationSeconds(r.idleS), String(r.processCount),
  ]));
}
