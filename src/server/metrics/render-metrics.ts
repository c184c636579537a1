import type { AlertCount } from '../../store/store.ts';
import { holdingOf, holdsGpus, slotsOf } from '../../engine/facts/gpu-equivalents.ts';
import type { HostSnapshot } from '../../snapshot/schema.ts';
import { histogramSamples, renderExposition, type MetricFamily, type Sample } from './exposition.ts';
import type { HistogramCounts } from './histogram.ts';

/** One host as /metrics sees it: when its last snapshot was taken, and that snapshot when this process has it. */
export interface MetricsHost {
  host: string;
  lastTakenAt: string;
  snapshot: HostSnapshot | null;
}

/** Everything renderMetrics needs; gathered by the route, so rendering is pure. */
export interface MetricsInput {
  nowMs: number;
  /** A host whose last snapshot is older than this is down (host_up 0) and its GPU/user values are not current. */
  silentAfterMs: number;
  hosts: readonly MetricsHost[];
  /** Stored alerts counted by rule, state and severity (the store's alertCounts, one query for the fleet). */
  alerts: readonly AlertCount[];
  /** Notification outbox items queued, due or not. */
  outboxDepth: number;
  /** Notification-log entries (the retained 30 days) by status. */
  notificationCounts: Readonly<Record<string, number | undefined>>;
  /** How long accepting a snapshot took (validation done, evaluation and store), in seconds. */
  ingestDuration: HistogramCounts;
  /** A user's quota in GPU-equivalents (null: unlimited, no sample); absent: no quota samples. */
  quotaOf?: (user: string) => number | null;
}

const MIB_BYTES = 1024 * 1024;

/** The service's metrics in the Prometheus text format 0.0.4. A value the snapshot does not know gets no sample, never 0. */
export function renderMetrics(input: MetricsInput): string {
  const up: Sample[] = [];
  const age: Sample[] = [];
  const memUsed: Sample[] = [];
  const memTotal: Sample[] = [];
  const util: Sample[] = [];
  const temp: Sample[] = [];
  const untracked: Sample[] = [];
  const userGpuEq: Sample[] = [];
  const userContainers: Sample[] = [];
  for (const h of [...input.hosts].sort((a, b) => a.host.localeCompare(b.host))) {
    const ageMs = input.nowMs - Date.parse(h.lastTakenAt);
    const isUp = Number.isFinite(ageMs) && ageMs <= input.silentAfterMs;
    up.push({ labels: { host: h.host }, value: isUp ? 1 : 0 });
    if (Number.isFinite(ageMs)) age.push({ labels: { host: h.host }, value: Math.max(0, ageMs) / 1000 });
    const s = h.snapshot;
    // A down host's last values are not what it has now: unknown, so no samples.
    if (!isUp || s === null || s.takenAt !== h.lastTakenAt) continue;
    for (const g of s.gpus) {
      const labels = { host: h.host, gpu: String(g.index), uuid: g.uuid ?? '' };
      if (g.memoryUsedMiB !== null) memUsed.push({ labels, value: g.memoryUsedMiB * MIB_BYTES });
      if (g.memoryTotalMiB !== null) memTotal.push({ labels, value: g.memoryTotalMiB * MIB_BYTES });
      if (g.utilizationPct !== null) util.push({ labels, value: g.utilizationPct / 100 });
      if (g.temperatureC !== null) temp.push({ labels, value: g.temperatureC });
    }
    const failed = new Set(s.errors.map((e) => e.source));
    if (!failed.has('gpu') && !failed.has('proc')) {
      untracked.push({ labels: { host: h.host }, value: s.gpuProcesses.filter((p) => p.kind === 'host' && !p.system).length });
    }
    if (!failed.has('docker') && !(s.disabledSources ?? []).includes('docker')) {
      const slots = slotsOf(s.gpus);
      const byUser = new Map<string, { gpuEquivalents: number; containers: number }>();
      for (const c of s.containers) {
        const user = c.owner.user ?? '';
        const row = byUser.get(user) ?? { gpuEquivalents: 0, containers: 0 };
        if (c.state === 'running') row.containers += 1;
        row.gpuEquivalents += holdingOf(c, s, slots, holdsGpus(c, () => false)).gpuEquivalents;
        byUser.set(user, row);
      }
      for (const [user, row] of [...byUser].sort(([a], [b]) => a.localeCompare(b))) {
        userGpuEq.push({ labels: { host: h.host, user }, value: row.gpuEquivalents });
        userContainers.push({ labels: { host: h.host, user }, value: row.containers });
      }
    }
  }
  // Quotas of the users with per-user samples (owner unknown, user "", has none).
  const quotaOf = input.quotaOf;
  const quota: Sample[] = [];
  if (quotaOf !== undefined) {
    for (const user of [...new Set(userGpuEq.map((sample) => sample.labels['user'] ?? ''))].sort((a, b) => a.localeCompare(b))) {
      const q = user === '' ? null : quotaOf(user);
      if (q !== null) quota.push({ labels: { user }, value: q });
    }
  }
  const alerts = input.alerts.map((r) => ({ labels: { rule: r.rule, state: r.state, severity: r.severity }, value: r.count }));
  const families: MetricFamily[] = [
    { name: 'gpuwarden_host_up', type: 'gauge', help: '1 when the host\'s last snapshot is within the silent threshold, else 0.', samples: up },
    { name: 'gpuwarden_snapshot_age_seconds', type: 'gauge', help: 'Seconds since the host\'s last snapshot was taken.', samples: age },
    { name: 'gpuwarden_gpu_memory_used_bytes', type: 'gauge', help: 'GPU memory in use (no sample when the probe could not read it).', samples: memUsed },
    { name: 'gpuwarden_gpu_memory_total_bytes', type: 'gauge', help: 'GPU memory in all.', samples: memTotal },
    { name: 'gpuwarden_gpu_utilization_ratio', type: 'gauge', help: 'GPU utilisation, 0 to 1 (no sample when unknown, e.g. MIG).', samples: util },
    { name: 'gpuwarden_gpu_temperature_celsius', type: 'gauge', help: 'GPU temperature.', samples: temp },
    { name: 'gpuwarden_untracked_host_gpu_processes', type: 'gauge', help: 'GPU processes outside any container (system processes not counted).', samples: untracked },
    { name: 'gpuwarden_user_gpu_equivalents', type: 'gauge', help: 'GPU-equivalents held by the user\'s running, paused or restarting containers (user "" = owner unknown).', samples: userGpuEq },
    { name: 'gpuwarden_user_gpu_equivalents_quota', type: 'gauge', help: 'The user\'s quota in GPU-equivalents (max_gpu_equivalents of the limits in force; no sample when unlimited).', samples: quota },
    { name: 'gpuwarden_user_containers', type: 'gauge', help: 'Running containers of the user (user "" = owner unknown).', samples: userContainers },
    { name: 'gpuwarden_alerts', type: 'gauge', help: 'Stored alerts by rule, state and severity.', samples: alerts },
    { name: 'gpuwarden_outbox_depth', type: 'gauge', help: 'Notifications queued for delivery (due or waiting to retry).', samples: [{ labels: {}, value: input.outboxDepth }] },
    {
      name: 'gpuwarden_notifications', type: 'gauge', help: 'Notification-log entries of the retained 30 days by status (failed: given up on).',
      samples: Object.entries(input.notificationCounts).flatMap(([status, n]) => (n === undefined ? [] : [{ labels: { status }, value: n }])).sort((a, b) => a.labels.status.localeCompare(b.labels.status)),
    },
    { name: 'gpuwarden_ingest_duration_seconds', type: 'histogram', help: 'Time to evaluate and store one snapshot, since this process started.', samples: histogramSamples(input.ingestDuration) },
  ];
  return renderExposition(families);
}
