// The host enforcer on real processes (signal-process through the runner) and on a fake /proc and /dev (warn).
import { spawn, type ChildProcess } from 'node:child_process';
import { chown, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlannedAction } from '../action.ts';
import { createHostEnforcer, type HostEnforcerOptions } from './host-enforcer.ts';
import { readBootTimeSec, readProcessIdentity } from './proc-identity.ts';
import { createActionRunner } from './runner.ts';
import type { EnforcementSettings } from './settings.ts';
import { processAction, settingsWith } from './test-support.ts';

const children: ChildProcess[] = [];
const REGULAR_UID = 1001;
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

async function child(ignoreTerm: boolean): Promise<ChildProcess> {
  const code = `${ignoreTerm ? "process.on('SIGTERM', () => {});" : ''} process.stdout.write('ready'); setInterval(() => {}, 1000);`;
  // As root (CI containers) the child runs as a regular uid, as a user's job would; a system uid would be vetoed.
  const asUser = process.getuid?.() === 0 ? { uid: REGULAR_UID, gid: REGULAR_UID } : {};
  const proc = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'ignore'], cwd: '/', ...asUser });
  children.push(proc);
  await new Promise<void>((resolve) => proc.stdout?.once('data', () => resolve()));
  return proc;
}

/** A signal-process action for the child as /proc shows it now; uid checks pass as the test's uid is planned. */
async function actionFor(proc: ChildProcess, overrides: Partial<PlannedAction> = {}): Promise<PlannedAction> {
  const id = await readProcessIdentity('/proc', proc.pid ?? 0, await readBootTimeSec('/proc'));
  return processAction({ host: 'h1', target: { kind: 'process', pid: proc.pid ?? 0, startTime: id?.startTime ?? null, uid: id?.uid ?? null, containerId: null }, ...overrides });
}

async function run(action: PlannedAction, settings: Partial<EnforcementSettings> = {}, options: Partial<HostEnforcerOptions> = {}) {
  const enforcer = createHostEnforcer({ dockerSocketPath: null, procRoot: '/proc', devRoot: '/dev', pollMs: 20, ...options });
  const runner = createActionRunner({ host: 'h1', settings: settingsWith(settings), enforcer, log: () => {} });
  runner.accept([action]);
  await runner.idle();
  return runner.takeResults()[0];
}

const exited = (proc: ChildProcess): Promise<NodeJS.Signals | null> =>
  proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve(proc.signalCode) : new Promise((resolve) => proc.once('exit', (_c, sig) => resolve(sig)));


describe('signal-process through the runner on real processes', () => {
  it('vetoes a process of a system account (uid below 1000) and leaves it alone', async () => {
    const proc = await child(false);
    const action = await actionFor(proc);
    const planned = { ...action, target: { ...action.target, uid: 0 } } as PlannedAction;
    expect(await run(planned)).toMatchObject({ outcome: 'vetoed', detail: expect.stringMatching(/uid 0 \(below 1000/) as unknown });
    await delay(50);
    expect(proc.exitCode).toBeNull();
  });

  it('a recycled pid (live process, other start time) is target-changed and never signalled', async () => {
    const proc = await child(false);
    const action = await actionFor(proc);
    const t = action.target as { startTime: string };
    const recycled = { ...action, target: { ...action.target, uid: null, startTime: new Date(Date.parse(t.startTime) - 5000).toISOString() } } as PlannedAction;
    expect(await run(recycled)).toMatchObject({ outcome: 'target-changed', detail: expect.stringMatching(/is another process now/) as unknown });
    await delay(100);
    expect(proc.exitCode).toBeNull();
    expect(proc.signalCode).toBeNull();
  });

  it('a pid that no longer exists is target-changed', async () => {
    const proc = await child(false);
    const action = await actionFor(proc);
    proc.kill('SIGKILL');
    await exited(proc);
    expect(await run({ ...action, target: { ...action.target, uid: null } } as PlannedAction)).toMatchObject({ outcome: 'target-changed', detail: `process ${proc.pid} has exited` });
  });

  it('a process that exits on SIGTERM; one that ignores it gets SIGKILL after the grace', async () => {
    const normal = await child(false);
    expect(await run(await actionFor(normal, { params: { graceS: 2 } }))).toMatchObject({ outcome: 'done', detail: `process ${normal.pid} exited on SIGTERM` });
    expect(await exited(normal)).toBe('SIGTERM');
    const stubborn = await child(true);
    const started = Date.now();
    const r = await run(await actionFor(stubborn, { id: 'x3', params: { graceS: 1 } }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(r).toMatchObject({ outcome: 'done', detail: `process ${stubborn.pid} ignored SIGTERM for 1 s and was killed with SIGKILL` });
    expect(await exited(stubborn)).toBe('SIGKILL');
  });
});

describe('warn through the host enforcer', () => {
  it("writes to the person's terminals (fake /proc and /dev), resolving the uid from the login name", async () => {
    const root = await mkdtemp(join(tmpdir(), 'gw-henf-'));
    await mkdir(join(root, 'proc/200/fd'), { recursive: true });
    await symlink('/dev/pts/5', join(root, 'proc/200/fd/1'));
    await mkdir(join(root, 'dev/pts'), { recursive: true });
    await writeFile(join(root, 'dev/pts/5'), '');
    await chown(join(root, 'dev/pts/5'), 1234, 1234);
    const warn = processAction({ id: 'w1', type: 'warn', user: 'alice', target: { kind: 'container', containerId: 'c'.repeat(64), name: 'job', createdAt: null, startedAt: null, state: 'running' }, params: { message: 'your GPU is idle' } });
    const options = { procRoot: join(root, 'proc'), devRoot: join(root, 'dev'), charDevicesOnly: false, uidOfUser: async (n: string) => (n === 'alice' ? 1234 : null) };
    expect(await run(warn, {}, options)).toMatchObject({ outcome: 'done', detail: 'written to 1 terminal(s)' });
    expect(await readFile(join(root, 'dev/pts/5'), 'utf8')).toBe('\r\n[gpuwarden] your GPU is idle\r\n');
    expect(await run({ ...warn, id: 'w2', user: 'bob' }, {}, options)).toMatchObject({ outcome: 'failed', detail: 'no account found for bob' });
    expect(await run({ ...warn, id: 'w3', user: 'alice' }, {}, { ...options, uidOfUser: async () => 4321 })).toMatchObject({ outcome: 'failed', detail: 'no terminal of alice found' });
  });
});
