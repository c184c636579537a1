import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaptureFormatError, readCaptureDir, writeCaptureDir } from './capture-dir.ts';
import type { RawCapture, RawContainerCounters } from './raw-capture.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-capdir-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sample: RawCapture = {
  meta: { host: 'gpu1', takenAt: '2026-11-25T10:00:00.000Z', bootTimeSec: 1_700_000_000, clockTicksPerSec: 100 },
  nvidiaSmiXml: { ok: false, error: { exitCode: 9, stderr: '', message: "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver." } },
  nvidiaSmiList: { ok: true, value: 'GPU 0: Tesla T4 (UUID: GPU-1)\n' },
  dockerInspect: { ok: true, value: [{ Id: 'a'.repeat(64) }] },
  mountOwners: { '/home/alice/data': 1001 },
  passwd: { ok: true, value: 'alice:x:1001:1001::/home/alice:/bin/bash\n' },
  proc: new Map([[4242, { cgroup: '0::/\n', cmdline: 'python\u0000x.py\u0000', loginuid: '1001' }]]),
  notes: [{ source: 'proc', message: 'permission denied reading /proc/7/status (EACCES)' }],
  exitedPids: [7],
  counters: new Map(),
  previousCounters: new Map(),
};

describe('capture folders', () => {
  it('round-trips every source, failures included', async () => {
    await writeCaptureDir(dir, sample);
    expect(await readCaptureDir(dir)).toEqual(sample);
  });

  it('writes the documented layout', async () => {
    await writeCaptureDir(dir, sample);
    const err = JSON.parse(await readFile(join(dir, 'nvidia-smi-q.xml.error.json'), 'utf8')) as unknown;
    expect(err).toEqual({ exitCode: 9, stderr: '', message: "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver." });
    expect(await readFile(join(dir, 'proc/4242/cmdline'), 'utf8')).toBe('python\u0000x.py\u0000');
    expect(JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8'))).toMatchObject({ host: 'gpu1', clockTicksPerSec: 100 });
  });

  it('records the sources the probe was told not to read in meta.json and the exited pids in exited-pids.json', async () => {
    const noDocker: RawCapture = { ...sample, meta: { ...sample.meta, disabledSources: ['docker'] }, dockerInspect: null };
    await writeCaptureDir(dir, noDocker);
    expect(JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8'))).toMatchObject({ disabledSources: ['docker'] });
    expect(JSON.parse(await readFile(join(dir, 'exited-pids.json'), 'utf8'))).toEqual([7]);
    expect(await readCaptureDir(dir)).toEqual(noDocker);
  });

  it('writes container counter readings under usage/current and usage/previous, and reads them back', async () => {
    const id = 'b'.repeat(64);
    const reading = (readAt: string, usec: number) => ({
      readAt, startedAt: '2026-12-03T08:00:00Z', pid: 4242, networkMode: 'none',
      cgroup: `0::/docker/${id}\n`, cpuStat: `usage_usec ${usec}\n`, cgroupProcs: '4242\n', comms: '4242 python\n', netDev: 'x',
    });
    const hostNet = { readAt: '2026-12-03T08:00:30Z', startedAt: null, pid: 77, networkMode: 'host', cpuacctUsage: '1000\n' };
    const withUsage: RawCapture = {
      ...sample,
      counters: new Map<string, RawContainerCounters>([[id, reading('2026-12-03T08:00:30Z', 900)], ['c'.repeat(64), hostNet]]),
      previousCounters: new Map([[id, reading('2026-12-03T08:00:00Z', 300)]]),
    };
    await writeCaptureDir(dir, withUsage);
    expect(JSON.parse(await readFile(join(dir, 'usage/current', id, 'reading.json'), 'utf8'))).toEqual({
      readAt: '2026-12-03T08:00:30Z', startedAt: '2026-12-03T08:00:00Z', pid: 4242, networkMode: 'none',
    });
    expect(await readFile(join(dir, 'usage/previous', id, 'cpu.stat'), 'utf8')).toBe('usage_usec 300\n');
    expect(await readFile(join(dir, 'usage/current', 'c'.repeat(64), 'cpuacct.usage'), 'utf8')).toBe('1000\n');
    expect(await readCaptureDir(dir)).toEqual(withUsage);
  });

  it('names the file of a bad reading.json', async () => {
    await writeCaptureDir(dir, sample);
    await mkdir(join(dir, 'usage/current', 'd'.repeat(64)), { recursive: true });
    await writeFile(join(dir, 'usage/current', 'd'.repeat(64), 'reading.json'), '{"readAt":"x"}');
    await expect(readCaptureDir(dir)).rejects.toThrow(/usage\/current\/d{64}\/reading\.json: readAt/);
  });

  it('treats absent files as not collected', async () => {
    await writeFile(join(dir, 'meta.json'), JSON.stringify({ host: 'h', takenAt: '2026-11-25T10:00:00Z', bootTimeSec: null }));
    const raw = await readCaptureDir(dir);
    expect(raw.nvidiaSmiXml).toBeNull();
    expect(raw.dockerInspect).toBeNull();
    expect(raw.meta.clockTicksPerSec).toBe(100);
    expect(raw.proc.size).toBe(0);
    expect(raw.exitedPids).toEqual([]);
    expect(raw.counters.size + raw.previousCounters.size).toBe(0);
  });

  it('refuses a folder without meta.json with a plain message', async () => {
    await expect(readCaptureDir(dir)).rejects.toThrow(/no meta\.json, not a capture folder/);
  });

  it('names the file and field of a bad meta.json', async () => {
    await writeFile(join(dir, 'meta.json'), JSON.stringify({ host: 'h', takenAt: 'yesterday' }));
    await expect(readCaptureDir(dir)).rejects.toThrow(CaptureFormatError);
    await expect(readCaptureDir(dir)).rejects.toThrow(/meta\.json: takenAt/);
  });

  it('names the file of invalid JSON', async () => {
    await writeFile(join(dir, 'meta.json'), JSON.stringify({ host: 'h', takenAt: '2026-11-25T10:00:00Z', bootTimeSec: 1 }));
    await writeFile(join(dir, 'docker-inspect.json'), '[{"Id": ');
    await expect(readCaptureDir(dir)).rejects.toThrow(/docker-inspect\.json: not valid JSON/);
  });

  it('ignores non-pid entries under proc/', async () => {
    await writeCaptureDir(dir, sample);
    await mkdir(join(dir, 'proc', 'self'));
    const raw = await readCaptureDir(dir);
    expect([...raw.proc.keys()]).toEqual([4242]);
  });
});
