// The Grafana dashboard and the Prometheus alert rules in docs/ query only metrics gpuwarden exports.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validSnapshot } from '../src/server/test-support.ts';
import { createHistogram } from '../src/server/metrics/histogram.ts';
import { renderMetrics } from '../src/server/metrics/render-metrics.ts';
import { parseDuration } from '../src/format/duration.ts';

const TAKEN_AT = '2026-11-25T17:17:49.467Z';

/** Every series name /metrics can write (a histogram's _bucket, _sum and _count included). */
function exportedSeries(): Set<string> {
  const text = renderMetrics({
    nowMs: Date.parse(TAKEN_AT) + 1000, silentAfterMs: 90_000, hosts: [{ host: 'ds01', lastTakenAt: TAKEN_AT, snapshot: validSnapshot() }],
    alerts: [], outboxDepth: 0, notificationCounts: {}, ingestDuration: createHistogram([0.1]).counts(),
  });
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (name === undefined) continue;
    names.add(name);
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
  }
  return names;
}

/** The gpuwarden_* names a PromQL expression reads. */
function metricsIn(expr: string): string[] {
  return [...expr.matchAll(/\bgpuwarden_[a-z_]+/g)].map((m) => m[0]);
}

function balanced(expr: string): boolean {
  const open: string[] = [];
  const pairs: Record<string, string> = { ')': '(', '}': '{', ']': '[' };
  for (const ch of expr.replace(/"[^"]*"/g, '')) {
    if ('({['.includes(ch)) open.push(ch);
    else if (ch in pairs && open.pop() !== pairs[ch]) return false;
  }
  return open.length === 0;
}

interface Panel { title: string; type: string; targets: { expr: string; refId: string }[]; gridPos: { x: number; y: number; w: number; h: number } }

describe('docs/grafana/gpuwarden-dashboard.json', () => {
  const dashboard = JSON.parse(readFileSync(new URL('../docs/grafana/gpuwarden-dashboard.json', import.meta.url), 'utf8')) as {
    panels: Panel[]; templating: { list: { name: string; query: unknown }[] };
  };
  const exported = exportedSeries();

  it('queries only metrics /metrics exports, in balanced expressions', () => {
    const used = new Set<string>();
    for (const p of dashboard.panels) {
      expect(p.targets.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets) {
        expect(balanced(t.expr), `${p.title}: ${t.expr}`).toBe(true);
        for (const m of metricsIn(t.expr)) {
          expect(exported, `${p.title} reads ${m}`).toContain(m);
          used.add(m);
        }
      }
    }
    // The panels the issue names: per host and GPU, per user with quota, untracked, alerts, outbox, latency, age.
    for (const m of ['gpuwarden_host_up', 'gpuwarden_gpu_memory_used_bytes', 'gpuwarden_gpu_utilization_ratio', 'gpuwarden_gpu_temperature_celsius', 'gpuwarden_user_gpu_equivalents', 'gpuwarden_user_gpu_equivalents_quota', 'gpuwarden_untracked_host_gpu_processes', 'gpuwarden_alerts', 'gpuwarden_outbox_depth', 'gpuwarden_ingest_duration_seconds_bucket', 'gpuwarden_snapshot_age_seconds']) {
      expect(used, m).toContain(m);
    }
  });

  it('has unique panel ids and reference ids, panels inside the 24-column grid, and the filters it uses', () => {
    const ids = dashboard.panels.map((p) => (p as unknown as { id: number }).id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of dashboard.panels) {
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
      expect(new Set(p.targets.map((t) => t.refId)).size, p.title).toBe(p.targets.length);
    }
    const variables = dashboard.templating.list.map((v) => v.name);
    const referenced = new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((t) => [...t.expr.matchAll(/\$(\w+)/g)].map((m) => m[1]))));
    for (const v of referenced) expect(variables, `$${String(v)}`).toContain(v);
  });
});

describe('docs/prometheus/gpuwarden-alerts.yml', () => {
  const file = parse(readFileSync(new URL('../docs/prometheus/gpuwarden-alerts.yml', import.meta.url), 'utf8')) as {
    groups: { name: string; rules: { alert: string; expr: string; for: string; labels: { severity: string }; annotations: { summary: string } }[] }[];
  };
  const exported = exportedSeries();

  it('has rules with a for in Prometheus duration syntax, a severity, a summary, and only exported metrics', () => {
    const rules = file.groups.flatMap((g) => g.rules);
    expect(rules.length).toBeGreaterThanOrEqual(4);
    for (const r of rules) {
      expect(r.alert).toMatch(/^Gpuwarden[A-Z]\w+$/);
      expect(() => parseDuration(r.for), r.alert).not.toThrow();
      expect(['critical', 'warning', 'info']).toContain(r.labels.severity);
      expect(r.annotations.summary.length, r.alert).toBeGreaterThan(10);
      expect(balanced(r.expr), r.expr).toBe(true);
      for (const m of metricsIn(r.expr)) expect(exported, `${r.alert} reads ${m}`).toContain(m);
    }
  });
});

/** DS01's monitoring/prometheus/rules/ds01_alerts.yml, as listed in the DS01 audit (shared/DS01.md). */
const DS01_ALERTS = [
  'DS01GPUWaste', 'DS01GPUHighTemperature', 'DS01GPUCriticalTemperature', 'DS01GPUMemoryHigh', 'DS01ContainerHighCPU',
  'DS01ContainerHighMemory', 'DS01ExporterDown', 'DS01NodeExporterDown', 'DS01CAdvisorDown', 'DS01DCGMExporterDown',
  'DS01GrafanaDown', 'DS01AlertmanagerDown', 'DS01DiskSpaceLow', 'DS01PrometheusStorageLow', 'DS01HighDiskUsage',
  'DS01HighSystemLoad', 'DS01LowMemory', 'DS01MIGMappingMismatch', 'DS01GPUXIDError', 'DS01UserGPUWaste',
  'DS01SystemHighGPUWaste', 'DS01LowGPUCapacity', 'DS01CriticalGPUCapacity',
];

describe('docs/prometheus.md', () => {
  const doc = readFileSync(new URL('../docs/prometheus.md', import.meta.url), 'utf8');
  it('places each of DS01\'s Prometheus alerts once, naming an existing gpuwarden rule where it moved', () => {
    const rows = doc.split('\n').filter((l) => l.startsWith('| `DS01'));
    for (const a of DS01_ALERTS) {
      const placed = rows.filter((l) => l.split('|')[1]?.includes(`\`${a}\``));
      expect(placed.length, a).toBe(1);
      const row = placed[0] ?? '';
      if (row.split('|')[2]?.trim() === 'gpuwarden') {
        const ruleIds = [...(row.split('|')[3] ?? '').matchAll(/(?<!stage )`([a-z-]+)`/g)].map((m) => m[1]);
        expect(ruleIds.length, a).toBeGreaterThan(0);
        for (const id of ruleIds) expect(() => readFileSync(new URL(`../rules/${id}.json`, import.meta.url)), `${a} → ${id}`).not.toThrow();
      }
    }
  });
});
