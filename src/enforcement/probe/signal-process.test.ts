// Real child processes: one that exits on SIGTERM, one that ignores it (SIGKILL after the grace).
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessTarget } from '../action.ts';
import { readBootTimeSec, readProcessIdentity } from './proc-identity.ts';
import { signalProcess } from './signal-process.ts';

const children: ChildProcess[] = [];

/** A node child that says "ready" once its SIGTERM handler (if any) is installed. */
async function child(ignoreTerm: boolean): Promise<{ proc: ChildProcess; target: ProcessTarget; boot: number | null }> {
  const code = `${ignoreTerm ? "process.on('SIGTERM', () => {});" : ''} process.stdout.write('ready'); setInterval(() => {}, 1000);`;
  const proc = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(proc);
  await new Promise<void>((resolve) => proc.stdout?.once('data', () => resolve()));
  const boot = await readBootTimeSec('/proc');
  const id = await readProcessIdentity('/proc', proc.pid ?? 0, boot);
  return { proc, boot, target: { kind: 'process', pid: proc.pid ?? 0, startTime: id?.startTime ?? null, uid: id?.uid ?? null, containerId: null } };
}

const exited = (proc: ChildProcess): Promise<NodeJS.Signals | null> =>
  proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve(proc.signalCode) : new Promise((resolve) => proc.once('exit', (_c, sig) => resolve(sig)));

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

describe('signal-process on real processes', () => {
  it('a normal process exits on SIGTERM', async () => {
    const { proc, target, boot } = await child(false);
    const result = await signalProcess(target, 5, { procRoot: '/proc', bootTimeSec: boot, pollMs: 20 });
    expect(result).toEqual({ outcome: 'done', detail: `process ${target.pid} exited on SIGTERM` });
    expect(await exited(proc)).toBe('SIGTERM');
  });

  it('a process that ignores SIGTERM is killed with SIGKILL after the grace', async () => {
    const { proc, target, boot } = await child(true);
    const started = Date.now();
    const result = await signalProcess(target, 1, { procRoot: '/proc', bootTimeSec: boot, pollMs: 20 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(result.outcome).toBe('done');
    expect(result.detail).toMatch(/ignored SIGTERM for 1 s and was killed with SIGKILL/);
    expect(await exited(proc)).toBe('SIGKILL');
  });

  it('does not SIGKILL once the pid is no longer the planned process', async () => {
    const other = await child(true);
    // A plan with another start time: after SIGTERM the re-check says "not the same process", so no SIGKILL follows.
    const changed = { ...other.target, startTime: new Date(Date.parse(other.target.startTime ?? '') - 3000).toISOString() };
    const sent: string[] = [];
    await signalProcess(changed, 0, { procRoot: '/proc', bootTimeSec: other.boot, pollMs: 10, kill: (_pid, sig) => sent.push(sig) });
    expect(sent).toEqual(['SIGTERM']);
    await delay(50);
    expect(other.proc.exitCode).toBeNull();
    expect(other.proc.signalCode).toBeNull();
  });
});
