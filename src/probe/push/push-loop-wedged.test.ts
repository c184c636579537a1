// The real cycle (collectRaw → buildSnapshot → push) keeps its schedule while nvidia-smi is wedged.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWedgedNvidiaSmi, processOrGroupAlive, wedgedPids } from '../../../test/support/fake-nvidia-smi.ts';
import { buildSnapshot } from '../build-snapshot.ts';
import { collectRaw, createCollectSession, DEFAULT_COLLECT_OPTIONS } from '../collect.ts';
import { runPushLoop } from './push-loop.ts';
import { startTestServer } from './test-support.ts';

describe('runPushLoop with a wedged nvidia-smi', () => {
  it('keeps sending snapshots (with a gpu error) every interval', async () => {
    const { bin, dir: binDir } = await makeWedgedNvidiaSmi();
    const spoolDir = await mkdtemp(join(tmpdir(), 'gw-loop-wedged-'));
    const server = await startTestServer();
    const session = createCollectSession();
    const options = { ...DEFAULT_COLLECT_OPTIONS, nvidiaSmiPath: bin, dockerSocketPath: null, nvidiaSmiTimeoutMs: 1000 };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 5000);
    try {
      await runPushLoop({
        collect: async () => buildSnapshot(await collectRaw(options, session)),
        url: server.url,
        token: 'gw_test_token',
        spoolDir,
        intervalMs: 1000,
        log: () => undefined,
        signal: controller.signal,
      });
      expect(server.requests.length).toBeGreaterThanOrEqual(3);
      for (const r of server.requests) {
        const body = JSON.parse(r.body) as { errors: Array<{ source: string; message: string }> };
        expect(body.errors).toContainEqual({ source: 'gpu', message: 'nvidia-smi -q -x: timed out after 1000 ms' });
      }
      await new Promise((r) => setTimeout(r, 300));
      for (const pid of await wedgedPids(binDir)) expect(await processOrGroupAlive(pid)).toBe(false);
    } finally {
      clearTimeout(timer);
      await server.close();
      await rm(spoolDir, { recursive: true, force: true });
      await rm(binDir, { recursive: true, force: true });
    }
  }, 20_000);
});
