import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hostSnapshotSchema } from '../snapshot/schema.ts';
import { buildSnapshot, DEFAULT_BUILD_OPTIONS } from './build-snapshot.ts';
import { compileRedactPatterns } from './redact/redact-patterns.ts';
import { capturedReading } from './usage/test-fixtures.ts';
import type { RawCapture, RawProc } from './raw-capture.ts';

const XML = readFileSync(new URL('../../test/fixtures/nvidia-smi/xml/telegraf__tesla-t4.xml', import.meta.url), 'utf8');
const CONTAINER_ID = 'a'.repeat(64);
const pidsInXml = [...XML.matchAll(/<pid>(\d+)<\/pid>/g)].map((m) => Number(m[1]));

function procFor(opts: { uid: number; loginuid?: string; cgroup: string; comm?: string; argv0?: string }): RawProc {
  const comm = opts.comm ?? 'python3';
  return {
    cgroup: opts.cgroup,
    status: `Name:\t${comm}\nUid:\t${opts.uid}\t${opts.uid}\t${opts.uid}\t${opts.uid}\nGid:\t0\t0\t0\t0\n`,
    stat: `4242 (${comm}) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 500 0 0\n`,
    loginuid: opts.loginuid ?? '4294967295',
    cmdline: `${opts.argv0 ?? `/usr/bin/${comm}`}\u0000train.py\u0000`,
  };
}

function raw(overrides: Partial<RawCapture> = {}): RawCapture {
  const [hostPid = 1, containerPid = 2] = pidsInXml;
  return {
    meta: { host: 'gpu1', takenAt: '2026-11-25T10:00:00.000Z', bootTimeSec: 1_700_000_000, clockTicksPerSec: 100 },
    nvidiaSmiXml: { ok: true, value: XML },
    nvidiaSmiList: null,
    dockerInspect: {
      ok: true,
      value: [{
        Id: CONTAINER_ID, Name: '/train', State: { Status: 'running', Pid: 77 },
        Created: '2026-11-25T09:00:00.1234567Z', Config: { Image: 'cuda', Labels: { 'ds01.user': 'h.baker@hertie-school.lan' } },
      }],
    },
    mountOwners: {},
    passwd: { ok: true, value: 'root:x:0:0:root:/root:/bin/bash\nalice:x:1001:1001::/home/alice:/bin/bash\nbob:x:1002:1002::/home/bob:/bin/bash\n' },
    proc: new Map([
      [hostPid, procFor({ uid: 0, loginuid: '1001', cgroup: '0::/user.slice/user-1001.slice/session-3.scope\n' })],
      [containerPid, procFor({ uid: 0, cgroup: `0::/system.slice/docker-${CONTAINER_ID}.scope\n` })],
    ]),
    notes: [],
    exitedPids: [],
    counters: new Map(),
    previousCounters: new Map(),
    ...overrides,
  };
}

describe('buildSnapshot', () => {
  it('fixture sanity: the T4 capture has two GPU processes', () => {
    expect(pidsInXml).toHaveLength(2);
  });

  it('builds a schema-valid snapshot attributing host and container processes', () => {
    const s = buildSnapshot(raw());
    expect(hostSnapshotSchema.parse(s)).toEqual(s);
    expect(s.errors).toEqual([]);
    const [host, ctr] = s.gpuProcesses;
    expect(host).toMatchObject({ kind: 'host', uid: 0, loginUid: 1001, user: 'alice', userSource: 'loginuid', containerId: null });
    expect(ctr).toMatchObject({ kind: 'container', containerId: CONTAINER_ID, user: 'h.baker@hertie-school.lan', userSource: 'container-owner' });
    expect(host?.startTime).toBe('2023-11-14T22:13:25.000Z');
    expect(s.containers[0]?.owner.method).toBe('label:ds01.user');
  });

  it('su/sudo cannot hide the login user; without a loginuid the real uid counts', () => {
    const [hostPid = 1] = pidsInXml;
    const s = buildSnapshot(raw({ proc: new Map([[hostPid, procFor({ uid: 1002, cgroup: '0::/user.slice/x.scope\n' })]]) }));
    expect(s.gpuProcesses[0]).toMatchObject({ user: 'bob', userSource: 'uid', loginUid: null, uid: 1002 });
  });

  it('shows an unresolvable uid as the number, like ps does', () => {
    const [hostPid = 1] = pidsInXml;
    const s = buildSnapshot(raw({ proc: new Map([[hostPid, procFor({ uid: 4321, cgroup: '0::/user.slice/x.scope\n' })]]) }));
    expect(s.gpuProcesses[0]).toMatchObject({ user: '4321', uid: 4321 });
  });

  it('a process with no /proc data and no explanation is kind unknown and one proc error each', () => {
    const s = buildSnapshot(raw({ proc: new Map() }));
    expect(s.gpuProcesses.map((p) => p.kind)).toEqual(['unknown', 'unknown']);
    expect(s.errors.filter((e) => e.source === 'proc')).toHaveLength(2);
    expect(s.exitedProcesses).toBe(0);
  });

  it('counts processes that exited before the /proc read in exitedProcesses, not in errors', () => {
    const [hostPid = 1, containerPid = 2] = pidsInXml;
    const s = buildSnapshot(raw({ proc: new Map([[containerPid, procFor({ uid: 0, cgroup: `0::/system.slice/docker-${CONTAINER_ID}.scope\n` })]]), exitedPids: [hostPid] }));
    expect(s.exitedProcesses).toBe(1);
    expect(s.errors).toEqual([]);
    // Neither host (a false bare-metal alert) nor container (a false owner): unknown, with nobody named.
    expect(s.gpuProcesses.find((p) => p.pid === hostPid)).toMatchObject({ kind: 'unknown', user: null, userSource: 'unknown', containerId: null, uid: null });
    expect(hostSnapshotSchema.parse(s)).toEqual(s);
  });

  it('reads the exited notes of captures made before exited-pids.json as exited, not errors', () => {
    const [hostPid = 1, containerPid = 2] = pidsInXml;
    const s = buildSnapshot(raw({ proc: new Map(), notes: [
      { source: 'proc', message: `process ${hostPid} exited before it could be read` },
      { source: 'proc', message: `process ${containerPid} exited before it could be read` },
    ] }));
    expect(s.exitedProcesses).toBe(2);
    expect(s.errors).toEqual([]);
  });

  it('reports an unreadable /proc (EACCES) as proc errors once, without a second "no /proc data" line', () => {
    const [hostPid = 1, containerPid = 2] = pidsInXml;
    const denied = ['cgroup', 'status', 'stat', 'loginuid', 'cmdline'].map((f) => ({
      source: 'proc' as const,
      message: `permission denied reading /proc/${hostPid}/${f} (EACCES); the probe needs root or CAP_SYS_PTRACE`,
    }));
    const s = buildSnapshot(raw({ proc: new Map([[containerPid, procFor({ uid: 0, cgroup: `0::/system.slice/docker-${CONTAINER_ID}.scope\n` })]]), notes: denied }));
    expect(s.errors).toEqual(denied);
    expect(s.exitedProcesses).toBe(0);
    expect(s.gpuProcesses.find((p) => p.pid === hostPid)?.kind).toBe('unknown');
  });

  it('a source the probe was told not to read is in disabledSources, with no error and no containers', () => {
    const s = buildSnapshot(raw({ meta: { ...raw().meta, disabledSources: ['docker'] }, dockerInspect: null }));
    expect(s.disabledSources).toEqual(['docker']);
    expect(s.errors).toEqual([]);
    expect(s.containers).toEqual([]);
    expect(hostSnapshotSchema.parse(s)).toEqual(s);
  });

  it('a Docker source that was meant to be read but is missing stays an error', () => {
    const s = buildSnapshot(raw({ dockerInspect: null }));
    expect(s.disabledSources).toEqual([]);
    expect(s.errors).toEqual([{ source: 'docker', message: 'docker: not collected' }]);
  });

  it('masks secrets in the command line and marks the process cmdlineRedacted', () => {
    const [hostPid = 1, containerPid = 2] = pidsInXml;
    const secret = { ...procFor({ uid: 0, loginuid: '1001', cgroup: '0::/user.slice/x.scope\n' }), cmdline: 'python\0train.py\0--wandb-api-key=0123abcd\0' };
    const s = buildSnapshot(raw({ proc: new Map([[hostPid, secret], [containerPid, procFor({ uid: 0, cgroup: '0::/user.slice/y.scope\n' })]]) }));
    const [host, other] = s.gpuProcesses;
    expect(host).toMatchObject({ cmdline: 'python train.py --wandb-api-key=***', cmdlineRedacted: true });
    expect(other).toMatchObject({ cmdline: '/usr/bin/python3 train.py', cmdlineRedacted: false });
    expect(JSON.stringify(s)).not.toContain('0123abcd');
    expect(hostSnapshotSchema.parse(s)).toEqual(s);
  });

  it('masks the nvidia-smi process name used when /proc is missing, and applies the admin patterns', () => {
    const [hostPid = 1] = pidsInXml;
    const xml = XML.replace('<process_name>python</process_name>', '<process_name>python serve.py --auth-token abc123 LAB-77</process_name>');
    const s = buildSnapshot(
      raw({ nvidiaSmiXml: { ok: true, value: xml }, proc: new Map(), exitedPids: [hostPid, pidsInXml[1] ?? 2] }),
      { ...DEFAULT_BUILD_OPTIONS, redaction: { extraPatterns: compileRedactPatterns(['LAB-\\d+']) } },
    );
    const p = s.gpuProcesses.find((x) => x.cmdline?.startsWith('python') === true);
    expect(p).toMatchObject({ cmdline: 'python serve.py --auth-token *** ***', cmdlineRedacted: true });
  });

  it('fills container usage from this and the previous cycle\'s counters (real cgroup v2 captures)', () => {
    const s = buildSnapshot(raw({
      counters: new Map([[CONTAINER_ID, capturedReading('gwp-burn', 2, 'v2')]]),
      previousCounters: new Map([[CONTAINER_ID, capturedReading('gwp-burn', 1, 'v2')]]),
    }));
    const usage = s.containers[0]?.usage;
    expect(usage).toMatchObject({ netRxBytesPerS: 0, netTxBytesPerS: 0, activeProcessCount: 0 });
    expect(usage?.intervalS).toBeCloseTo(1.13, 2);
    expect(usage?.cpuPct).toBeGreaterThan(35);
    expect(hostSnapshotSchema.parse(s)).toEqual(s);
  });

  it('container usage is null on the first cycle, across a restart, and for a container that is not running', () => {
    const cur = capturedReading('gwp-burn', 2, 'v2');
    const prev = capturedReading('gwp-burn', 1, 'v2');
    const first = buildSnapshot(raw({ counters: new Map([[CONTAINER_ID, cur]]) }));
    expect(first.containers[0]?.usage).toBeNull();
    const restarted = buildSnapshot(raw({ counters: new Map([[CONTAINER_ID, cur]]), previousCounters: new Map([[CONTAINER_ID, { ...prev, startedAt: 'earlier' }]]) }));
    expect(restarted.containers[0]?.usage).toBeNull();
    const stopped = buildSnapshot(raw({
      dockerInspect: { ok: true, value: [{ Id: CONTAINER_ID, Name: '/train', State: { Status: 'exited', Pid: 0 }, Config: { Image: 'cuda' } }] },
      counters: new Map([[CONTAINER_ID, cur]]),
      previousCounters: new Map([[CONTAINER_ID, prev]]),
    }));
    expect(stopped.containers[0]?.usage).toBeNull();
  });

  it('flags driver daemons as system processes', () => {
    const [hostPid = 1] = pidsInXml;
    const s = buildSnapshot(raw({ proc: new Map([[hostPid, procFor({ uid: 0, comm: 'Xorg', argv0: '/usr/lib/xorg/Xorg', cgroup: '0::/system.slice/gdm.service\n' })]]) }));
    expect(s.gpuProcesses[0]).toMatchObject({ system: true, name: 'Xorg', kind: 'host' });
  });

  it('a container process whose container is unknown to Docker has no user', () => {
    const [, containerPid = 2] = pidsInXml;
    const other = 'b'.repeat(64);
    const s = buildSnapshot(raw({ proc: new Map([[containerPid, procFor({ uid: 0, cgroup: `0::/system.slice/docker-${other}.scope\n` })]]) }));
    const p = s.gpuProcesses.find((x) => x.pid === containerPid);
    expect(p).toMatchObject({ kind: 'container', containerId: other, user: null, userSource: 'unknown' });
  });

  it('reports a failed nvidia-smi as an error, never as "no GPUs" silently', () => {
    const s = buildSnapshot(raw({
      nvidiaSmiXml: { ok: false, error: { exitCode: 9, stderr: '', message: "exited with code 9: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver." } },
    }));
    expect(s.gpus).toEqual([]);
    expect(s.errors.some((e) => e.source === 'gpu' && e.message.startsWith('nvidia-smi -q -x: exited with code 9: NVIDIA-SMI has failed'))).toBe(true);
  });

  it('reports garbage nvidia-smi output as a gpu error', () => {
    const s = buildSnapshot(raw({ nvidiaSmiXml: { ok: true, value: '<nvidia_smi_log><gpu id="0000' } }));
    expect(s.errors.some((e) => e.source === 'gpu')).toBe(true);
    expect(s.gpus).toEqual([]);
  });

  it('reports Docker and users failures and keeps the GPU data', () => {
    const s = buildSnapshot(raw({
      dockerInspect: { ok: false, error: { exitCode: null, stderr: '', message: 'connect ENOENT /var/run/docker.sock' } },
      passwd: null,
    }));
    expect(s.errors).toEqual(expect.arrayContaining([
      { source: 'docker', message: 'docker: connect ENOENT /var/run/docker.sock' },
      { source: 'users', message: 'users: not collected' },
    ]));
    expect(s.gpus).toHaveLength(1);
    expect(s.containers).toEqual([]);
  });

  it('carries collection notes into errors', () => {
    const s = buildSnapshot(raw({ notes: [{ source: 'proc', message: '/proc/5/status: permission denied' }] }));
    expect(s.errors).toContainEqual({ source: 'proc', message: '/proc/5/status: permission denied' });
  });

  it('never builds a snapshot its own service rejects: garbage nvidia-smi readings become null with an error', () => {
    const huge = '9'.repeat(301);
    const garbage = XML.replace('<power_draw>26.78 W</power_draw>', `<power_draw>${huge} W</power_draw>`)
      .replace('<gpu_temp>40 C</gpu_temp>', '<gpu_temp>-273 C</gpu_temp>')
      .replace('<gpu_util>0 %</gpu_util>', `<gpu_util>${huge} %</gpu_util>`)
      .replace('<used>1032 MiB</used>', '<used>-5 MiB</used>');
    const s = buildSnapshot(raw({ nvidiaSmiXml: { ok: true, value: garbage } }));
    expect(hostSnapshotSchema.safeParse(s).success).toBe(true);
    expect(s.gpus[0]).toMatchObject({ powerW: null, temperatureC: null, utilizationPct: null, memoryUsedMiB: null });
    const gpuErrors = s.errors.filter((e) => e.source === 'gpu').map((e) => e.message);
    expect(gpuErrors).toEqual(expect.arrayContaining([expect.stringMatching(/^gpu 0: powerW 1e\+301 is outside 0\.\.5000 W; sent as null$/), expect.stringMatching(/temperatureC -273 is outside -50\.\.150/)]));
  });

  it('skips a GPU process whose pid is above pid_max and nulls an impossible container usage', () => {
    const [firstPid = 1] = pidsInXml;
    const s = buildSnapshot(raw({ nvidiaSmiXml: { ok: true, value: XML.replace(`<pid>${firstPid}</pid>`, '<pid>99999999</pid>') } }));
    expect(hostSnapshotSchema.safeParse(s).success).toBe(true);
    expect(s.gpuProcesses.map((p) => p.pid)).not.toContain(99999999);
    expect(s.errors).toContainEqual({ source: 'gpu', message: "pid 99999999 is above Linux's pid_max limit 4194304; process skipped" });
  });
});
