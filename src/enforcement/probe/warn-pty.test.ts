// One real terminal: util-linux `script` runs `sleep` on a new pty; the warning written to that pty comes back on
// script's stdout. Only this pty is offered (a fake /proc pointing at it), so no other terminal is written to.
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readlink, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { findTerminals, warnUser } from './warn-terminals.ts';

function hasScript(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasScript())('warn on a real pty', () => {
  it('opens the pty without a shell and writes the message to it', async () => {
    const script = spawn('script', ['-q', '-e', '-c', 'sleep 20', '/dev/null'], { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    script.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    try {
      let pts: string | null = null;
      for (let i = 0; i < 50 && pts === null; i += 1) {
        await delay(50);
        const kids = await readFile(`/proc/${script.pid}/task/${script.pid}/children`, 'utf8').catch(() => '');
        const kid = kids.trim().split(' ')[0];
        if (kid !== undefined && kid !== '') pts = await readlink(`/proc/${kid}/fd/0`).catch(() => null);
      }
      expect(pts).toMatch(/^\/dev\/pts\/\d+$/);
      const owner = (await stat(pts ?? '')).uid;
      const fakeProc = await mkdtemp(join(tmpdir(), 'gw-pty-proc-'));
      await mkdir(join(fakeProc, '1', 'fd'), { recursive: true });
      await symlink(pts ?? '', join(fakeProc, '1', 'fd', '0'));
      const roots = { procRoot: fakeProc, devRoot: '/dev' };
      expect(await findTerminals(roots, owner)).toEqual([pts]);
      expect(await warnUser(roots, 'someone', owner, 'GPU 3 idle for 2 h')).toEqual({ outcome: 'done', detail: 'written to 1 terminal(s)' });
      for (let i = 0; i < 40 && !out.includes('idle for 2 h'); i += 1) await delay(50);
      expect(out).toContain('[gpuwarden] GPU 3 idle for 2 h');
    } finally {
      script.kill('SIGKILL');
    }
  });
});
