// The CLI as a newcomer uses it: help, probe --once on a committed capture, capture + replay, bad usage.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { hostSnapshotSchema } from '../src/snapshot/schema.ts';
import { makeFakeNvidiaSmi, listFor, substitutePids } from './support/fake-nvidia-smi.ts';

const CAPTURE = 'test/fixtures/captures/ds01-h100-mig';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {} });
  return { code, out, err };
}

describe('gpuwarden CLI', () => {
  it('prints help listing the commands', async () => {
    const r = await cli('help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('gpuwarden probe --once');
    expect(r.out).toContain('gpuwarden capture DIR');
  });

  it('prints the version from package.json', async () => {
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    expect(await cli('--version')).toEqual({ code: 0, out: `gpuwarden ${pkg.version}\n`, err: '' });
  });

  it('rejects an unknown command with exit 2', async () => {
    const r = await cli('frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown command "frobnicate"');
  });

  it('rejects an unknown flag with the usage', async () => {
    const r = await cli('probe', '--once', '--colour');
    expect(r.code).toBe(2);
    expect(r.err).toContain("Unknown option '--colour'");
    expect(r.err).toContain('--replay DIR');
  });

  it('requires --once for now', async () => {
    const r = await cli('probe', '--replay', CAPTURE);
    expect(r.code).toBe(2);
    expect(r.err).toContain('probe needs --once');
  });

  it('shows who uses which GPU from the committed capture', async () => {
    const r = await cli('probe', '--once', '--replay', CAPTURE);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^ds01-demo {2}2026-11-25T17:17:49\.467Z {2}driver 590\.48\.01/);
    expect(r.out).toMatch(/MIG 0 {2}3g\.40gb {2}MIG-00000000-0000-0000-0000-000000000000/);
    expect(r.out).toMatch(/31710 +h\.baker@hertie-school\.lan +container +gwe2e31671-ds01 +2296 MiB +sleep/);
    expect(r.out).toMatch(/32185 +daemon +host +- +7484 MiB +node/);
    expect(r.out).toMatch(/32099 +unknown +container +gwe2e31671-unowned/);
  });

  it('prints the snapshot as JSON with every attribution', async () => {
    const r = await cli('probe', '--once', '--json', '--replay', CAPTURE);
    const snapshot = hostSnapshotSchema.parse(JSON.parse(r.out));
    const byPid = Object.fromEntries(snapshot.gpuProcesses.map((p) => [p.pid, [p.kind, p.user, p.userSource]]));
    expect(byPid).toEqual({
      31710: ['container', 'h.baker@hertie-school.lan', 'container-owner'],
      31768: ['container', 'sys', 'container-owner'],
      31820: ['container', 'www-data', 'container-owner'],
      31879: ['container', 'games', 'container-owner'],
      31936: ['container', 'man', 'container-owner'],
      31993: ['container', 'daemon', 'container-owner'],
      32047: ['container', null, 'unknown'],
      32099: ['container', null, 'unknown'],
      32185: ['host', 'daemon', 'loginuid'],
    });
    const methods = Object.fromEntries(snapshot.containers.map((c) => [c.name.replace(/^gwe2e\d+-/, ''), c.owner.method]));
    expect(methods).toMatchObject({
      ds01: 'label:ds01.user', aime: 'label:aime.mlc.USER', 'train._.33': 'name-uid', devc: 'devcontainer-folder',
      compose: 'compose-dir', mount: 'mount-path', spoof: 'unknown', unowned: 'unknown',
    });
  });

  it('exits 0 but warns on stderr when a source failed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw-cli-'));
    await cp(CAPTURE, dir, { recursive: true });
    await rm(join(dir, 'docker-inspect.json'));
    await writeFile(join(dir, 'docker-inspect.json.error.json'), JSON.stringify({ exitCode: null, stderr: '', message: 'connect EACCES /var/run/docker.sock' }));
    const r = await cli('probe', '--once', '--replay', dir);
    expect(r.code).toBe(0);
    expect(r.err).toBe('warning: 1 source error(s) (docker); they are listed in the snapshot\'s errors\n');
    expect(r.out).toContain('error [docker] docker: connect EACCES /var/run/docker.sock');
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 1 with a plain message for a folder that is not a capture', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw-cli-'));
    const r = await cli('probe', '--once', '--replay', dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('no meta.json, not a capture folder');
    await rm(dir, { recursive: true, force: true });
  });

  it('captures this host and replays the folder to the same snapshot', async () => {
    const xml = await readFile('test/fixtures/nvidia-smi/xml/telegraf__tesla-t4.xml', 'utf8');
    const bin = await makeFakeNvidiaSmi({ xml: substitutePids(xml, [process.pid]), list: listFor(xml) });
    const dir = join(await mkdtemp(join(tmpdir(), 'gw-cli-')), 'cap');
    const cap = await cli('capture', dir, '--nvidia-smi', bin, '--no-docker', '--host', 'box1');
    expect(cap.code).toBe(0);
    expect(cap.out).toBe(`captured 1 GPU process(es) into ${dir}\n`);
    expect(JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8'))).toMatchObject({ host: 'box1', clockTicksPerSec: 100 });
    const replay = await cli('probe', '--once', '--json', '--replay', dir);
    const s = hostSnapshotSchema.parse(JSON.parse(replay.out));
    expect(s.gpuProcesses.map((p) => [p.pid, p.kind])).toEqual([[process.pid, 'host']]);
    expect(s.errors).toEqual([{ source: 'docker', message: 'docker: not collected' }]);
  });

  it('capture needs exactly one folder', async () => {
    expect((await cli('capture')).code).toBe(2);
    expect((await cli('capture', 'a', 'b')).err).toContain('exactly one folder');
  });
});
