import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeStoreContract, sampleAlert, sampleHost } from '../contract.test-suite.ts';
import { createMemoryStore } from './memory-store.ts';

describeStoreContract('memory', (options) => createMemoryStore(options));

describe('createMemoryStore', () => {
  it('imports nothing from node:* (it runs inside workerd)', () => {
    for (const file of ['memory-store.ts', 'alert-order.ts', 'alert-record.ts', 'snapshot-retention.ts', 'notify-order.ts', 'notify-record.ts', 'outbox-state.ts', 'grant-record.ts']) {
      const source = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
      const imports = [...source.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1] ?? '');
      expect(imports.length, file).toBeGreaterThan(0);
      expect(imports.filter((spec) => spec.startsWith('node:') || !spec.startsWith('.')), file).toEqual([]);
    }
  });

  it('keeps separate instances apart', async () => {
    const one = createMemoryStore();
    const two = createMemoryStore();
    await one.commitEvaluation({ hostRecord: sampleHost('gpu1'), upsert: [sampleAlert()], remove: [] });
    expect(await two.listHosts()).toEqual([]);
    expect(await two.listAlerts({})).toEqual([]);
    expect(await one.listAlerts({})).toHaveLength(1);
  });

  it('says it is closed after close', async () => {
    const store = createMemoryStore();
    await store.close();
    await expect(store.getHost('gpu1')).rejects.toThrow('The memory store is closed.');
  });

  it('checks every alert before applying any of a commit', async () => {
    const store = createMemoryStore();
    const bad = { ...sampleAlert({ fingerprint: 'z' }), labels: null } as unknown as ReturnType<typeof sampleAlert>;
    await expect(store.commitEvaluation({ hostRecord: sampleHost('gpu1'), upsert: [sampleAlert({ fingerprint: 'a' }), bad], remove: [] })).rejects.toThrow(
      'alert z: labels must be an object (NOT NULL).',
    );
    expect(await store.listHosts()).toEqual([]);
    expect(await store.listAlerts({})).toEqual([]);
  });
});
