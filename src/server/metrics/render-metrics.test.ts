import { describe, expect, it } from 'vitest';
import type { ParsedFamily } from 'parse-prometheus-text-format';
import { validSnapshot } from '../test-support.ts';
import { createHistogram } from './histogram.ts';
import { renderMetrics, type MetricsInput } from './render-metrics.ts';
import { parseExpositionStrictly } from './strict-parse.test-support.ts';

const TAKEN_AT = '2026-11-25T17:17:49.467Z';
const NOW_MS = Date.parse(TAKEN_AT) + 10_000;

function input(over: Partial<MetricsInput> = {}): MetricsInput {
  return { nowMs: NOW_MS, silentAfterMs: 180_000, hosts: [{ host: 'ds01', lastTakenAt: TAKEN_AT, snapshot: validSnapshot() }], alerts: [], outboxDepth: 0, notificationCounts: {}, ingestDuration: createHistogram([0.1, 1]).counts(), ...over };
}

function family(families: ParsedFamily[], name: string): ParsedFamily {
  const f = families.find((x) => x.name === name);
  if (f === undefined) throw new Error(`no family ${name}`);
  return f;
}

describe('renderMetrics', () => {
  it('writes every family with HELP and TYPE, and the GPU values in base units', () => {
    const families = parseExpositionStrictly(renderMetrics(input()));
    expect(family(families, 'gpuwarden_host_up').metrics).toEqual([{ value: '1', labels: { host: 'ds01' } }]);
    expect(family(families, 'gpuwarden_snapshot_age_seconds').metrics).toEqual([{ value: '10', labels: { host: 'ds01' } }]);
    const gpu = { host: 'ds01', gpu: '0', uuid: 'GPU-00000000-0000-0000-0000-000000000000' };
    expect(family(families, 'gpuwarden_gpu_memory_used_bytes').metrics).toEqual([{ value: String(2296 * 1048576), labels: gpu }]);
    expect(family(families, 'gpuwarden_gpu_utilization_ratio').metrics).toEqual([{ value: '0.4', labels: gpu }]);
    expect(family(families, 'gpuwarden_gpu_temperature_celsius').metrics).toEqual([{ value: '53', labels: gpu }]);
    expect(family(families, 'gpuwarden_user_gpu_equivalents').metrics).toEqual([{ value: '1', labels: { host: 'ds01', user: 'alice' } }]);
    expect(family(families, 'gpuwarden_user_containers').metrics).toEqual([{ value: '1', labels: { host: 'ds01', user: 'alice' } }]);
    expect(family(families, 'gpuwarden_untracked_host_gpu_processes').metrics).toEqual([{ value: '0', labels: { host: 'ds01' } }]);
    expect(family(families, 'gpuwarden_gpu_temperature_celsius').type).toBe('GAUGE');
  });

  it('gives per-user quotas only for users with samples, never for the unknown owner, none without quotaOf', () => {
    const s = validSnapshot();
    const first = s.containers[0];
    if (first === undefined) throw new Error('fixture has a container');
    s.containers = [...s.containers, { ...first, id: 'f'.repeat(64), name: 'orphan', owner: { user: null, uid: null, method: 'unknown' } }];
    const asked: string[] = [];
    const families = parseExpositionStrictly(renderMetrics(input({ hosts: [{ host: 'ds01', lastTakenAt: TAKEN_AT, snapshot: s }], quotaOf: (user) => (asked.push(user), 3) })));
    expect(family(families, 'gpuwarden_user_gpu_equivalents').metrics.map((m) => m.labels?.['user'])).toEqual(['', 'alice']);
    expect(family(families, 'gpuwarden_user_gpu_equivalents_quota').metrics).toEqual([{ value: '3', labels: { user: 'alice' } }]);
    expect(asked).toEqual(['alice']);
    expect(family(parseExpositionStrictly(renderMetrics(input())), 'gpuwarden_user_gpu_equivalents_quota').metrics).toEqual([]);
  });

  it('gives a value the snapshot does not know no sample, never 0', () => {
    const s = validSnapshot();
    s.gpus = s.gpus.map((g) => ({ ...g, utilizationPct: null, temperatureC: null }));
    const text = renderMetrics(input({ hosts: [{ host: 'ds01', lastTakenAt: TAKEN_AT, snapshot: s }] }));
    expect(text).not.toMatch(/^gpuwarden_gpu_utilization_ratio/m);
    expect(text).not.toMatch(/^gpuwarden_gpu_temperature_celsius/m);
    expect(text).toMatch(/^gpuwarden_gpu_memory_used_bytes\{/m);
  });

  it('counts untracked host processes only when the gpu and proc sources were read', () => {
    const s = validSnapshot();
    const base = s.gpuProcesses[0];
    if (base === undefined) throw new Error('fixture has a process');
    s.gpuProcesses = [base, { ...base, pid: 2, kind: 'host', containerId: null }, { ...base, pid: 3, kind: 'host', containerId: null, system: true }];
    expect(renderMetrics(input({ hosts: [{ host: 'ds01', lastTakenAt: TAKEN_AT, snapshot: s }] }))).toContain('gpuwarden_untracked_host_gpu_processes{host="ds01"} 1\n');
    const failed = { ...s, errors: [{ source: 'proc' as const, message: 'unreadable' }] };
    expect(renderMetrics(input({ hosts: [{ host: 'ds01', lastTakenAt: TAKEN_AT, snapshot: failed }] }))).not.toMatch(/^gpuwarden_untracked_host_gpu_processes\{/m);
  });

  it('says host_up 0 past the silent threshold and gives no GPU samples for it', () => {
    const text = renderMetrics(input({ nowMs: Date.parse(TAKEN_AT) + 180_001 }));
    expect(text).toContain('gpuwarden_host_up{host="ds01"} 0\n');
    expect(text).toContain('gpuwarden_snapshot_age_seconds{host="ds01"} 180.001\n');
    expect(text).not.toMatch(/^gpuwarden_gpu_/m);
    expect(renderMetrics(input({ nowMs: Date.parse(TAKEN_AT) + 180_000 }))).toContain('gpuwarden_host_up{host="ds01"} 1\n');
  });

  it('gives a host without a held snapshot only host_up and age', () => {
    const families = parseExpositionStrictly(renderMetrics(input({ hosts: [{ host: 'ds02', lastTakenAt: TAKEN_AT, snapshot: null }] })));
    expect(family(families, 'gpuwarden_host_up').metrics).toEqual([{ value: '1', labels: { host: 'ds02' } }]);
    expect(family(families, 'gpuwarden_gpu_memory_used_bytes').metrics).toEqual([]);
  });

  it('writes the notification log by status', () => {
    const families = parseExpositionStrictly(renderMetrics(input({ notificationCounts: { sent: 4, failed: 1 } })));
    expect(family(families, 'gpuwarden_notifications').metrics).toEqual([{ value: '1', labels: { status: 'failed' } }, { value: '4', labels: { status: 'sent' } }]);
  });

  it('writes the outbox depth as one unlabelled sample', () => {
    expect(family(parseExpositionStrictly(renderMetrics(input({ outboxDepth: 7 }))), 'gpuwarden_outbox_depth').metrics).toEqual([{ value: '7' }]);
  });

  it('writes the ingest duration as a histogram: cumulative buckets to +Inf, sum and count', () => {
    const h = createHistogram([0.1, 1]);
    [0.05, 0.5, 0.7, 3].forEach((s) => h.observe(s));
    const text = renderMetrics(input({ ingestDuration: h.counts() }));
    expect(text).toContain([
      '# TYPE gpuwarden_ingest_duration_seconds histogram',
      'gpuwarden_ingest_duration_seconds_bucket{le="0.1"} 1',
      'gpuwarden_ingest_duration_seconds_bucket{le="1"} 3',
      'gpuwarden_ingest_duration_seconds_bucket{le="+Inf"} 4',
      'gpuwarden_ingest_duration_seconds_sum 4.25',
      'gpuwarden_ingest_duration_seconds_count 4',
    ].join('\n'));
    const parsed = family(parseExpositionStrictly(text), 'gpuwarden_ingest_duration_seconds');
    expect(parsed.type).toBe('HISTOGRAM');
  });

  it('writes the alert counts by rule, state and severity', () => {
    const alerts = [
      { rule: 'gpu-hot', state: 'firing' as const, severity: 'critical', count: 2 },
      { rule: 'gpu-hot', state: 'pending' as const, severity: 'warning', count: 1 },
    ];
    const families = parseExpositionStrictly(renderMetrics(input({ alerts })));
    expect(family(families, 'gpuwarden_alerts').metrics).toEqual([
      { value: '2', labels: { rule: 'gpu-hot', state: 'firing', severity: 'critical' } },
      { value: '1', labels: { rule: 'gpu-hot', state: 'pending', severity: 'warning' } },
    ]);
  });

  it('escapes backslash, double quote and line feed in label values so a parser reads them back', () => {
    const s = validSnapshot();
    const odd = 'a\\b"c\nd';
    s.containers = s.containers.map((c) => ({ ...c, owner: { ...c.owner, user: odd } }));
    const text = renderMetrics(input({ hosts: [{ host: 'ds01', lastTakenAt: TAKEN_AT, snapshot: s }] }));
    expect(text).toContain('user="a\\\\b\\"c\\nd"');
    expect(family(parseExpositionStrictly(text), 'gpuwarden_user_containers').metrics[0]?.labels?.user).toBe(odd);
  });
});
