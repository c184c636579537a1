import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, type CliRun } from '../../test/support/cli.ts';
import { createApp } from '../server/app.ts';
import { startNodeServer, type NodeServer } from '../server/node.ts';
import { TEST_AUTH, TOKENS } from '../server/test-support.ts';
import { createStoreOnlyCore } from '../service/store-only-core.ts';
import { createMemoryStore, type MemoryStore } from '../store/memory/memory-store.ts';
import { sampleAction } from '../store/contract-actions.test-suite.ts';
import { actionsCommand } from './actions.ts';
import { main } from './main.ts';
import { UsageError } from './usage-error.ts';

const NOW = new Date('2026-11-25T10:30:00.000Z');
let dir: string;
let server: NodeServer;
let store: MemoryStore;
let url: string;
let tokenFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-actions-cli-'));
  tokenFile = join(dir, 'admin-token');
  await writeFile(tokenFile, `${TOKENS.alice}\n`, { mode: 0o600 });
  store = createMemoryStore();
  const core = createStoreOnlyCore(store);
  const app = createApp({ store, core, auth: TEST_AUTH, clock: () => NOW, log: () => undefined });
  server = await startNodeServer({ app, core, port: 0, tickIntervalMs: 3_600_000, log: () => undefined, store, signals: new EventEmitter() });
  url = `http://127.0.0.1:${server.port}`;
  await store.commitEvaluation({
    hostRecord: null, upsert: [], remove: [],
    actions: [sampleAction('stop-1'), sampleAction('held-1', { state: 'awaiting-approval', createdAt: '2026-11-25T10:01:00.000Z' })],
  });
  await store.commitEvaluation({ hostRecord: null, upsert: [], remove: [], actionResults: { host: 'gpu1', results: [{ id: 'stop-1', outcome: 'done', detail: 'stopped (SIGTERM, 60 s grace) and removed', at: '2026-11-25T10:06:00.000Z' }] } });
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function actions(...args: string[]): Promise<CliRun> {
  const run = await runCommand((a, io) => actionsCommand(a, io, () => NOW), args);
  expect(run.out + run.err).not.toContain(TOKENS.alice);
  return run;
}
const admin = (): string[] => ['--url', url, '--token-file', tokenFile];

describe('gpuwarden actions against a running service', () => {
  it('ls says in words what was done and what waits, newest first', async () => {
    const ls = await actions('ls', ...admin());
    expect(ls.code).toBe(0);
    const lines = ls.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATE\s+HOST\s+TARGET\s+USER\s+RULE\s+PLANNED\s+WHAT$/);
    expect(lines[1]).toMatch(/^held-1\s+awaiting-approval\s+gpu1\s+container train\s+alice\s+idle-gpu-container \(limit\)\s+.*Proposed: stop and remove the container; waits for an administrator's approval\.$/);
    expect(lines[2]).toMatch(/^stop-1\s+done\s+.*Done at 2026-11-25 10:06 UTC: stopped \(SIGTERM, 60 s grace\) and removed\.$/);
    const filtered = await actions('ls', ...admin(), '--state', 'done');
    expect(filtered.out.trimEnd().split('\n').slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['stop-1']);
    const json = JSON.parse((await actions('ls', ...admin(), '--state', 'done', '--json')).out) as { actions: Array<{ action: { id: string }; state: string; result: { detail: string } }> };
    expect(json.actions).toHaveLength(1);
    expect(json.actions[0]).toMatchObject({ action: { id: 'stop-1', host: 'gpu1' }, state: 'done', result: { outcome: 'done', detail: 'stopped (SIGTERM, 60 s grace) and removed' } });
    await expect(runCommand((a, io) => actionsCommand(a, io), ['approve', ...admin(), '--json', 'held-1'])).rejects.toThrow('--json belongs to actions ls');
  });

  it('approve releases a held action once; a second approval says why not', async () => {
    const ok = await actions('approve', ...admin(), 'held-1');
    expect([ok.code, ok.out]).toEqual([0, 'Approved held-1: stop-container on gpu1 goes to the host with its next snapshot from 2026-11-25 10:30 UTC.\n']);
    const again = await actions('approve', ...admin(), 'held-1');
    expect([again.code, again.err]).toEqual([1, expect.stringContaining('action "held-1" is scheduled, not awaiting approval')]);
  });

  it('refuses bad usage before calling the service, and help lists the command', async () => {
    await expect(runCommand((a, io) => actionsCommand(a, io), ['ls', ...admin(), '--state', 'sleeping'])).rejects.toThrow(UsageError);
    await expect(runCommand((a, io) => actionsCommand(a, io), ['approve', ...admin()])).rejects.toThrow(/one action ID/);
    const help = await runCommand((a, io) => main(a, io), ['help']);
    expect(help.out).toContain('gpuwarden actions ls|approve');
  });
});
