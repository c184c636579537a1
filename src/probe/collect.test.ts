// The live collector on this machine's real /proc and NSS, with a stand-in nvidia-smi replaying captured
// real output (there is no GPU here) and failing the ways the real one fails.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFor, makeFakeNvidiaSmi, substitutePids } from '../../test/support/fake-nvidia-smi.ts';
import { buildSnapshot } from './build-snapshot.ts';
import { writeCaptureDir } from './capture-dir.ts';
import { collectCounters, collectRaw, createCollectSession, DEFAULT_COLLECT_OPTIONS, type CollectOptions } from './collect.ts';
import { createUserResolver } from './proc/users.ts';
import type { InspectedContainer } from './docker/inspected-container.ts';
import { compileRedactPatterns } from './redact/redact-patterns.ts';

const XML = readFileSync(new URL('../../test/fixtures/nvidia-smi/xml/telegraf__tesla-t4.xml', import.meta.url), 'utf8');

function options(nvidiaSmiPath: string, extra: Partial<CollectOptions> = {}): CollectOptions {
  return { ...DEFAULT_COLLECT_OPTIONS, nvidiaSmiPath, dockerSocketPath: null, nvidiaSmiTimeoutMs: 5000, ...extra };
}

describe('collectRaw on this host', () => {
  it('reads /proc of each GPU pid and resolves its user through NSS', async () => {
    const bin = await makeFakeNvidiaSmi({ xml: substitutePids(XML, [process.pid]), list: listFor(XML) });
    const raw = await collectRaw(options(bin, { host: 'test-host' }));
    expect(raw.nvidiaSmiXml?.ok).toBe(true);
    expect(raw.proc.get(process.pid)?.cmdline).toContain('node');
    const s = buildSnapshot(raw);
    const me = s.gpuProcesses.find((p) => p.pid === process.pid);
    expect(me).toMatchObject({ kind: 'host', uid: process.getuid?.(), containerId: null });
    const login = readFileSync('/proc/self/loginuid', 'utf8').trim();
    const personUid = login === '4294967295' ? process.getuid?.() : Number(login);
    const passwdLine = execFileSync('getent', ['passwd', String(personUid)], { encoding: 'utf8' });
    expect(me?.user).toBe(passwdLine.split(':')[0]);
    expect(me?.userSource).toBe(login === '4294967295' ? 'uid' : 'loginuid');
    expect(me?.startTime).not.toBeNull();
    expect(Date.parse(me?.startTime ?? '')).toBeLessThanOrEqual(Date.now());
    expect(s.host).toBe('test-host');
    expect(s.errors).toEqual([]);
    expect(s.disabledSources).toEqual(['docker']);
    expect(s.exitedProcesses).toBe(0);
  });

  it('counts a process that exited before /proc was read, once, and not as an error', async () => {
    const gone = 2 ** 22 - 3;
    const bin = await makeFakeNvidiaSmi({ xml: substitutePids(XML, [gone]), list: listFor(XML) });
    const raw = await collectRaw(options(bin));
    expect(raw.exitedPids).toEqual([gone]);
    expect(raw.notes).toEqual([]);
    const s = buildSnapshot(raw);
    expect(s.gpuProcesses[0]).toMatchObject({ pid: gone, kind: 'unknown', user: null, containerId: null });
    expect(s.exitedProcesses).toBe(1);
    expect(s.errors).toEqual([]);
  });

  it('records a Docker engine it was told to read as a source, not as disabled', async () => {
    const bin = await makeFakeNvidiaSmi({ xml: substitutePids(XML, [process.pid]), list: listFor(XML) });
    const raw = await collectRaw(options(bin, { dockerSocketPath: '/nonexistent/docker.sock', dockerTimeoutMs: 1000 }));
    expect(raw.meta.disabledSources ?? []).toEqual([]);
    expect(buildSnapshot(raw).disabledSources).toEqual([]);
  });

  it('masks secrets in the raw capture itself: /proc cmdline bytes and nvidia-smi process names', async () => {
    const secret = 'Sup3rS3cretValue';
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)', '--', '--db-password', secret, `PGPASSWORD=${secret}`], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const pid = child.pid ?? 0;
      const xml = substitutePids(XML, [pid]).replace(/<process_name>[^<]*<\/process_name>/, `<process_name>node --api-key ${secret}</process_name>`);
      const bin = await makeFakeNvidiaSmi({ xml, list: listFor(XML) });
      const raw = await collectRaw(options(bin, { redaction: { extraPatterns: compileRedactPatterns(['LAB-\\d+']) } }));
      expect(raw.proc.get(pid)?.cmdline).toContain('--db-password\0***\0PGPASSWORD=***\0');
      expect(raw.nvidiaSmiXml?.ok === true ? raw.nvidiaSmiXml.value : '').toContain('<process_name>node --api-key ***</process_name>');
      const dir = await mkdtemp(join(tmpdir(), 'gw-redact-'));
      await writeCaptureDir(dir, raw);
      for (const file of await readdir(dir, { recursive: true })) {
        const path = join(dir, file);
        if ((await stat(path)).isFile()) expect(await readFile(path, 'utf8')).not.toContain(secret);
      }
      const s = buildSnapshot(raw);
      expect(s.gpuProcesses[0]).toMatchObject({ pid, cmdlineRedacted: true });
      expect(JSON.stringify(s)).not.toContain(secret);
      await rm(dir, { recursive: true, force: true });
    } finally {
      child.kill();
    }
  });

  it('reports a missing nvidia-smi', async () => {
    const s = buildSnapshot(await collectRaw(options('/nonexistent/nvidia-smi')));
    expect(s.gpus).toEqual([]);
    expect(s.errors).toContainEqual({ source: 'gpu', message: 'nvidia-smi -q -x: /nonexistent/nvidia-smi not found' });
  });

  it('reports the driver failure (exit 9) with the driver\'s own words', async () => {
    const bin = await makeFakeNvidiaSmi({ mode: 'driver-fail' });
    const raw = await collectRaw(options(bin));
    expect(raw.nvidiaSmiXml).toMatchObject({ ok: false, error: { exitCode: 9 } });
    const s = buildSnapshot(raw);
    const err = s.errors.find((e) => e.source === 'gpu');
    expect(err?.message).toBe(
      "nvidia-smi -q -x: exited with code 9: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.",
    );
  });

  it('kills a hanging nvidia-smi at the timeout and says so', async () => {
    const bin = await makeFakeNvidiaSmi({ mode: 'hang' });
    const started = Date.now();
    const s = buildSnapshot(await collectRaw(options(bin, { nvidiaSmiTimeoutMs: 400 })));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(s.errors.find((e) => e.source === 'gpu')?.message).toMatch(/timed out after 400 ms/);
  });

  it('reports garbage output instead of an empty GPU list', async () => {
    const bin = await makeFakeNvidiaSmi({ mode: 'garbage' });
    const s = buildSnapshot(await collectRaw(options(bin)));
    expect(s.gpus).toEqual([]);
    expect(s.errors.some((e) => e.source === 'gpu')).toBe(true);
  });

  it('reports an unreachable Docker engine', async () => {
    const bin = await makeFakeNvidiaSmi({ xml: substitutePids(XML, [process.pid]), list: listFor(XML) });
    const s = buildSnapshot(await collectRaw(options(bin, { dockerSocketPath: '/nonexistent/docker.sock', dockerTimeoutMs: 1000 })));
    expect(s.errors.find((e) => e.source === 'docker')?.message).toMatch(/docker/i);
    expect(s.gpuProcesses).toHaveLength(1);
  });
});

describe('a collect session kept across cycles', () => {
  it('looks a user up through getent once for two cycles, and again once the cache entry expired', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw-session-'));
    try {
      const log = join(dir, 'calls');
      const getent = join(dir, 'getent');
      await writeFile(getent, `#!/bin/sh\necho "$*" >> '${log}'\nexec getent "$@"\n`, { mode: 0o755 });
      const calls = async (): Promise<string[]> => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');
      let nowMs = 0;
      const session = createCollectSession({ users: createUserResolver({ getentPath: getent, nowMs: () => nowMs }) });
      const bin = await makeFakeNvidiaSmi({ xml: substitutePids(XML, [process.pid]), list: listFor(XML) });
      const uid = process.getuid?.() ?? 0;
      const first = buildSnapshot(await collectRaw(options(bin), session));
      nowMs += 30_000;
      const second = buildSnapshot(await collectRaw(options(bin), session));
      const uidCalls = (await calls()).filter((c) => c.split(' ').includes(String(uid)));
      expect(uidCalls).toHaveLength(1);
      expect(second.gpuProcesses[0]?.user).toBe(first.gpuProcesses[0]?.user);
      expect(second.gpuProcesses[0]?.user).not.toBeNull();
      nowMs += 600_000;
      await collectRaw(options(bin), session);
      expect((await calls()).filter((c) => c.split(' ').includes(String(uid)))).toHaveLength(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('collectCounters', () => {
  it('reports unreadable container counters as a `usage` failure (not `proc`: the processes themselves were read)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'gw-counters-'));
    try {
      // A running container whose init is this test process (its /proc is real) on a sysfs with no cgroup tree.
      const c = { id: 'c'.repeat(64), name: 'nb', state: 'running', startedAt: new Date().toISOString(), pid: process.pid, networkMode: 'none' };
      const r = collectCounters([c as unknown as InspectedContainer], { ...DEFAULT_COLLECT_OPTIONS, sysfsRoot: root });
      expect(r.counters.size).toBe(0);
      expect(r.notes).toHaveLength(1);
      expect(r.notes[0]).toMatchObject({ source: 'usage', message: expect.stringContaining('counters unreadable for 1 of 1 running container(s); first: nb:') });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
