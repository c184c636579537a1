// A wedged nvidia-smi (ignores SIGTERM, would answer after 25 s) must not stop the probe: the cycle gives up at
// the timeout with a `gpu` error, the stand-in is killed and reaped, and no second one starts while one lives.
import { existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { makeWedgedNvidiaSmi, processOrGroupAlive, wedgedPids } from '../../test/support/fake-nvidia-smi.ts';
import { buildSnapshot } from './build-snapshot.ts';
import { collectRaw, createCollectSession, DEFAULT_COLLECT_OPTIONS, type CollectOptions } from './collect.ts';

const TIMEOUT_MS = 1000;
const MARGIN_MS = 1500;

function options(nvidiaSmiPath: string): CollectOptions {
  return { ...DEFAULT_COLLECT_OPTIONS, nvidiaSmiPath, dockerSocketPath: null, nvidiaSmiTimeoutMs: TIMEOUT_MS };
}

/** Wait until none of the pids (nor their process groups) is alive, or the deadline passes; returns those still alive. */
async function waitGone(pids: readonly number[], withinMs = 3000): Promise<number[]> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const alive: number[] = [];
    for (const pid of pids) if (existsSync(`/proc/${pid}`) || (await processOrGroupAlive(pid))) alive.push(pid);
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await delay(50);
  }
}

describe('collectRaw with a wedged nvidia-smi', () => {
  it('returns at the timeout with a gpu error, and the killed stand-in is reaped', async () => {
    const { bin, dir } = await makeWedgedNvidiaSmi();
    const started = Date.now();
    const raw = await collectRaw(options(bin));
    const tookMs = Date.now() - started;
    expect(tookMs).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
    expect(raw.nvidiaSmiXml).toMatchObject({ ok: false, error: { message: `timed out after ${TIMEOUT_MS} ms` } });
    const s = buildSnapshot(raw);
    expect(s.errors.filter((e) => e.source === 'gpu').map((e) => e.message)).toContain(`nvidia-smi -q -x: timed out after ${TIMEOUT_MS} ms`);
    const pids = await wedgedPids(dir);
    expect(pids).toHaveLength(2);
    expect(await waitGone(pids)).toEqual([]);
  }, 15_000);

  it('does not start another nvidia-smi while the previous cycle\'s one is still alive', async () => {
    const { bin, dir } = await makeWedgedNvidiaSmi();
    // A kill that does nothing stands in for a process stuck in the driver (uninterruptible: SIGKILL waits).
    const session = createCollectSession({ kill: () => undefined });
    try {
      const first = await collectRaw(options(bin), session);
      expect(first.nvidiaSmiXml).toMatchObject({ ok: false, error: { message: `timed out after ${TIMEOUT_MS} ms` } });
      expect(session.nvidiaSmi.alive()).toHaveLength(2);
      const started = Date.now();
      const second = await collectRaw(options(bin), session);
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
      const message = 'nvidia-smi from the previous cycle is still running';
      expect(second.nvidiaSmiXml).toMatchObject({ ok: false, error: { message } });
      expect(second.nvidiaSmiList).toMatchObject({ ok: false, error: { message } });
      expect(buildSnapshot(second).errors).toContainEqual({ source: 'gpu', message: `nvidia-smi -q -x: ${message}` });
      const pids = await wedgedPids(dir);
      expect(pids).toHaveLength(2);
      for (const pid of pids) expect(await processOrGroupAlive(pid)).toBe(true);
    } finally {
      const pids = await wedgedPids(dir);
      for (const pid of pids) process.kill(-pid, 'SIGKILL');
      expect(await waitGone(pids)).toEqual([]);
    }
    expect(session.nvidiaSmi.alive()).toEqual([]);
  }, 15_000);
});
