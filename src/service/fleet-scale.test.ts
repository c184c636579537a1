// Issue 8 item 1: the tick's repeats and send-time inhibition used a list capped at 5,000 firing alerts; beyond that
// they silently skipped alerts. Both now read what they need per host, however large the fleet.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PACK, testLimits } from '../../test/support/pack.ts';
import type { Alert } from '../alerts/alert.ts';
import { createMemoryStore } from '../store/memory/memory-store.ts';
import { createCore } from './ingest.ts';
import { muteCheck } from './notifications.ts';

const NOW = new Date('2026-11-25T10:00:00.000Z');
const HOSTS = 60;
const PER_HOST = 100;

function firing(host: string, i: number, over: Partial<Alert> = {}): Alert {
  const at = new Date(NOW.getTime() - i * 1000).toISOString();
  return {
    fingerprint: `${host}-${i}`, rule: 'gpu-temperature', host, severity: 'critical', stage: null, labels: { host, gpu: `GPU-${i}` },
    annotations: { summary: 's', description: 'd' }, notify: ['admins'], state: 'firing', activeSince: at, firedAt: at, resolvedAt: null,
    lastMatchedAt: at, updatedAt: at, ...over,
  };
}

async function fleet() {
  const store = createMemoryStore();
  for (let h = 0; h < HOSTS; h++) {
    const host = `gpu-${String(h).padStart(3, '0')}`;
    await store.commitEvaluation({
      hostRecord: { host, lastSeenAt: NOW.toISOString(), lastTakenAt: NOW.toISOString(), tracked: '' },
      upsert: Array.from({ length: PER_HOST }, (_, i) => firing(host, i)),
      remove: [],
    });
  }
  return store;
}

describe('beyond 5,000 firing alerts', () => {
  it('the tick considers every firing alert for repeats (6,000 here)', async () => {
    const store = await fleet();
    const seen = new Set<string>();
    const core = createCore({ store, rules: DEFAULT_PACK, limits: testLimits(), clock: () => NOW, recipientsOf: (a) => (seen.add(a.fingerprint), []) });
    await core.tick(NOW);
    expect(seen.size).toBe(HOSTS * PER_HOST);
  });

  it("inhibition finds the host's host-silent alert however many newer firing alerts other hosts have", async () => {
    const store = await fleet();
    const old = new Date(NOW.getTime() - 86_400_000).toISOString();
    const silent = firing('quiet', 0, { fingerprint: 'silent', rule: 'host-silent', labels: { host: 'quiet' }, activeSince: old, firedAt: old, updatedAt: old, lastMatchedAt: old });
    const target = firing('quiet', 1, { fingerprint: 'target', rule: 'gpu-waste', severity: 'warning' });
    await store.commitEvaluation({ hostRecord: { host: 'quiet', lastSeenAt: old, lastTakenAt: old, tracked: '' }, upsert: [silent, target], remove: [] });
    const muted = await muteCheck(store)(target, NOW);
    expect(muted).toMatchObject({ status: 'inhibited', detail: expect.stringContaining('host-silent') });
  });

  it('refuses inhibition rules that are not host-scoped (they could not be answered per host)', () => {
    expect(() => muteCheck(createMemoryStore(), [{ sourceMatchers: [], targetMatchers: [], equal: ['alertname'] }])).toThrow(/host/);
  });
});
