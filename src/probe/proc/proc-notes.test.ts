import { describe, expect, it } from 'vitest';
import { pidsWithProcNotes, splitExitedNotes } from './proc-notes.ts';

describe('splitExitedNotes', () => {
  it('turns the legacy exited notes into pids and keeps every other note', () => {
    const other = { source: 'proc' as const, message: 'cannot read /proc/9/stat: EIO' };
    const users = { source: 'users' as const, message: 'process 5 exited before it could be read' };
    expect(
      splitExitedNotes([{ source: 'proc', message: 'process 31710 exited before it could be read' }, other, users]),
    ).toEqual({ exitedPids: [31710], notes: [other, users] });
  });

  it('does not match look-alikes', () => {
    const notes = [{ source: 'proc' as const, message: 'process 12 exited before it could be read (really)' }];
    expect(splitExitedNotes(notes)).toEqual({ exitedPids: [], notes });
    expect(splitExitedNotes([])).toEqual({ exitedPids: [], notes: [] });
  });
});

describe('pidsWithProcNotes', () => {
  it('finds the pid of each per-file proc failure, whatever the proc root', () => {
    const pids = pidsWithProcNotes([
      { source: 'proc', message: 'permission denied reading /proc/42/status (EACCES); the probe needs root or CAP_SYS_PTRACE' },
      { source: 'proc', message: 'cannot read /host/proc2/77/cmdline: EIO' },
      { source: 'proc', message: 'cannot read /srv/1234/proc/88/mountinfo: EIO' },
      { source: 'docker', message: 'cannot stat /home/5/status' },
      { source: 'proc', message: 'no btime in /proc/stat: process start times unknown' },
    ]);
    expect([...pids].sort((a, b) => a - b)).toEqual([42, 77, 88]);
  });
});
