import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSnapshot } from '../src/probe/build-snapshot.ts';
import { readCaptureDir } from '../src/probe/capture-dir.ts';
import { createCore } from '../src/service/ingest.ts';
import { defaultLimitsView } from '../src/service/limits-view-from-config.ts';
import { loadRuleSet } from '../src/service/make-core.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { createMemoryStore } from '../src/store/memory/memory-store.ts';
const base = buildSnapshot(await readCaptureDir('test/fixtures/captures/ds01-h100-mig'));
for (const kind of ['memory', 'sqlite']) {
  const store = kind === 'memory' ? createMemoryStore() : openSqliteStore(join(mkdtempSync(join(tmpdir(), 'gwi-')), 'x.sqlite'));
  const core = createCore({ store, rules: loadRuleSet('rules'), limits: defaultLimitsView({ probeIntervalS: 30, hostSilentAfterIntervals: 3, fairShareHalfLifeH: 24 }) });
  const snaps = Array.from({ length: 3000 }, (_, n) => { const host = `gpu-${n % 100}`; const takenAt = new Date(Date.parse('2026-11-25T12:00:00Z') + Math.floor(n / 100) * 30000).toISOString(); return { ...base, host, id: `${host}@${takenAt}`, takenAt }; });
  const t = performance.now();
  for (const s of snaps) await core.ingest(s, new Date());
  console.log(kind, 'ingest µs/op', ((performance.now() - t) * 1000 / 3000).toFixed(0));
}
