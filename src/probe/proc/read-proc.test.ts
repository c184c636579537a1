import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBootTimeSec, readProcFiles, type ProcFs } from './read-proc.ts';

let root = '';

async function fakePid(pid: number, files: Record<string, string>): Promise<void> {
  await mkdir(join(root, String(pid)), { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(root, String(pid), name), text);
}

const BASE = {
  status: 'Name:\tpython3\nUid:\t1000\t1000\t1000\t1000\n',
  stat: '100 (python3) S 1 100 100 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 555\n',
  loginuid: '1000',
  cmdline: 'python3\0train.py\0',
  mountinfo: '1 0 8:1 /var/lib/docker/containers/x/hosts /etc/hosts rw - ext4 /dev/sda1 rw\n',
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gpuwarden-proc-'));
  await fakePid(100, { ...BASE, cgroup: '0::/\n' });
  await fakePid(101, { ...BASE, cgroup: '0::/system.slice/docker-abc.scope\n' });
  const { loginuid: _omitted, ...withoutLoginuid } = BASE;
  await fakePid(102, { ...withoutLoginuid, cgroup: '0::/user.slice\n' });
  await writeFile(join(root, 'stat'), 'cpu 1 2 3\nbtime 1700000000\nprocesses 5\n');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readProcFiles', () => {
  it('reads this process for real', async () => {
    const files = readProcFiles(process.pid);
    expect(files.errors).toEqual([]);
    expect(files.cgroup).toBe(await readFile('/proc/self/cgroup', 'utf8'));
    expect(files.status).toContain(`Pid:\t${process.pid}`);
    expect(files.stat?.startsWith(`${process.pid} (`)).toBe(true);
    expect(files.loginuid).toMatch(/^\d+$/);
    expect(files.cmdline?.split('\0')[0]).toBe(process.argv0);
    expect(files.mountinfo === undefined).toBe(files.cgroup?.trim() !== '0::/');
  });

  it('reads every file of a fake pid and mountinfo because cgroup is exactly 0::/', async () => {
    const files = readProcFiles(100, root);
    expect(files).toEqual({ ...BASE, cgroup: '0::/\n', errors: [] });
  });

  it('does not read mountinfo when the cgroup names a path', async () => {
    const files = readProcFiles(101, root);
    expect(files.mountinfo).toBeUndefined();
    expect(files.cgroup).toBe('0::/system.slice/docker-abc.scope\n');
    expect(files.errors).toEqual([]);
  });

  it('a missing file of a live process is one error naming that file', async () => {
    const files = readProcFiles(102, root);
    expect(files.loginuid).toBeUndefined();
    expect(files.status).toBe(BASE.status);
    expect(files.errors).toEqual([`cannot read ${root}/102/loginuid: ENOENT`]);
  });

  it('a vanished pid directory is "exited": no data and no error (a normal race, counted by the caller)', async () => {
    expect(readProcFiles(999, root)).toEqual({ errors: [], exited: true });
  });

  it('rejects non-positive and non-integer pids without touching the disk', async () => {
    for (const pid of [0, -5, 1.5, Number.NaN]) {
      const files = readProcFiles(pid, root);
      expect(files.errors).toHaveLength(1);
      expect(files.errors[0]).toMatch(/^invalid pid/);
    }
  });

  function fakeFs(failures: Record<string, unknown>, dirExists: boolean): ProcFs {
    return {
      readText: (path) => {
        const name = path.slice(path.lastIndexOf('/') + 1);
        if (name in failures) throw failures[name];
        return name === 'cgroup' ? '0::/\n' : `${name} text`;
      },
      stat: () => {
        if (!dirExists) throw Object.assign(new Error('gone'), { code: 'ENOENT' });
        return {};
      },
    };
  }

  it('EACCES (simulated: the tests run as root) names the file', async () => {
    const eacces = Object.assign(new Error('denied'), { code: 'EACCES' });
    const files = readProcFiles(7, '/proc', fakeFs({ mountinfo: eacces }, true));
    expect(files.cgroup).toBe('0::/\n');
    expect(files.status).toBe('status text');
    expect(files.errors).toEqual([
      'permission denied reading /proc/7/mountinfo (EACCES); the probe needs root or CAP_SYS_PTRACE',
    ]);
  });

  it('ESRCH while the pid directory is gone means the process exited mid-read', async () => {
    const esrch = Object.assign(new Error('no such process'), { code: 'ESRCH' });
    const files = readProcFiles(8, '/proc', fakeFs({ stat: esrch }, false));
    expect(files).toEqual({ errors: [], exited: true });
  });

  it('odd rejection values become errors, never exceptions', async () => {
    const files = readProcFiles(9, '/proc', fakeFs({ status: 'a string', stat: null, cmdline: { code: 5 } }, true));
    expect(files.errors).toEqual([
      'cannot read /proc/9/status: EUNKNOWN: a string',
      'cannot read /proc/9/stat: EUNKNOWN: null',
      'cannot read /proc/9/cmdline: EUNKNOWN: [object Object]',
    ]);
    expect(files.loginuid).toBe('loginuid text');
  });
});

describe('readBootTimeSec', () => {
  it('reads btime from a proc root', async () => {
    expect(await readBootTimeSec(root)).toBe(1_700_000_000);
  });

  it('reads the real boot time: in the past, after 2000', async () => {
    const btime = await readBootTimeSec();
    expect(btime).not.toBeNull();
    expect(btime ?? 0).toBeGreaterThan(946_684_800);
    expect(btime ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(Date.now() / 1000);
  });

  it('null when the file is missing', async () => {
    expect(await readBootTimeSec(join(root, 'nope'))).toBeNull();
  });
});
