// The runner on real child processes: its answers, its limits, and what it remembers about live children.
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCommandRunner } from './run-command.ts';

const LIMITS = { timeoutMs: 5000, maxBufferBytes: 1024 * 1024 };

async function script(body: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gw-run-'));
  const path = join(dir, 'prog');
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

describe('createCommandRunner', () => {
  it('returns stdout of a program that succeeds, and forgets it once it exited', async () => {
    const runner = createCommandRunner();
    expect(await runner.run(await script('printf "a b\\n"'), [], LIMITS)).toEqual({ ok: true, value: 'a b\n' });
    expect(runner.alive()).toEqual([]);
  });

  it('passes arguments as an array, never through a shell', async () => {
    const runner = createCommandRunner();
    const r = await runner.run(await script('printf "%s|" "$@"'), ['$(id)', 'a b', ';'], LIMITS);
    expect(r).toEqual({ ok: true, value: '$(id)|a b|;|' });
  });

  it('reports the exit code with the program\'s own first line', async () => {
    const r = await createCommandRunner().run(await script('echo "" >&2; echo "driver gone" >&2; exit 9'), [], LIMITS);
    expect(r).toMatchObject({ ok: false, error: { exitCode: 9, message: 'exited with code 9: driver gone' } });
  });

  it('says when the program is not installed', async () => {
    const r = await createCommandRunner().run('/nonexistent/nvidia-smi', [], LIMITS);
    expect(r).toMatchObject({ ok: false, error: { exitCode: null, message: '/nonexistent/nvidia-smi not found' } });
  });

  it('stops reading and kills the program when its output passes the limit', async () => {
    const runner = createCommandRunner();
    const r = await runner.run(await script('yes'), [], { timeoutMs: 5000, maxBufferBytes: 64 * 1024 });
    expect(r).toMatchObject({ ok: false, error: { message: `output exceeded ${64 * 1024} bytes` } });
  });

  it('settles at the timeout even when the program ignores SIGTERM, and tracks it until it has exited', async () => {
    const runner = createCommandRunner();
    const started = Date.now();
    const r = await runner.run(await script("trap '' TERM\nsleep 25"), [], { timeoutMs: 300, maxBufferBytes: 1024 });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(r).toMatchObject({ ok: false, error: { exitCode: null, message: 'timed out after 300 ms' } });
    const deadline = Date.now() + 3000;
    while (runner.alive().length > 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    expect(runner.alive()).toEqual([]);
  });

  it('keeps a child it could not kill among the live ones', async () => {
    const killed: Array<[number, string]> = [];
    const runner = createCommandRunner({ kill: (pid, signal) => killed.push([pid, signal]) });
    await runner.run(await script('sleep 25'), [], { timeoutMs: 100, maxBufferBytes: 1024 });
    const [pid] = runner.alive();
    expect(killed).toEqual([[pid, 'SIGKILL']]);
    process.kill(-(pid ?? 0), 'SIGKILL');
    const deadline = Date.now() + 3000;
    while (runner.alive().length > 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    expect(runner.alive()).toEqual([]);
  });
});

describe('CommandRunner.idle', () => {
  it('is true at once with no children, and waits for a killed child to be reaped', async () => {
    const runner = createCommandRunner();
    expect(await runner.idle(0)).toBe(true);
    await runner.run(await script("trap '' TERM\nsleep 25"), [], { timeoutMs: 100, maxBufferBytes: 1024 });
    expect(await runner.idle(2000)).toBe(true);
    expect(runner.alive()).toEqual([]);
  });

  it('gives up after the wait when a child cannot be killed', async () => {
    const runner = createCommandRunner({ kill: () => undefined });
    await runner.run(await script('sleep 25'), [], { timeoutMs: 100, maxBufferBytes: 1024 });
    const started = Date.now();
    expect(await runner.idle(200)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    for (const pid of runner.alive()) process.kill(-pid, 'SIGKILL');
    expect(await runner.idle(2000)).toBe(true);
  });
});
