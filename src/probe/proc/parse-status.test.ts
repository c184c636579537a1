import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseProcStatus } from './parse-status.ts';

const SAMPLE = [
  'Name:\tpython3',
  'Umask:\t0022',
  'State:\tS (sleeping)',
  'Tgid:\t4242',
  'NSpid:\t4242\t17\t1',
  'PPid:\t4200',
  'Uid:\t1001\t1002\t1003\t1004',
  'Gid:\t2001\t2002\t2003\t2004',
  'Groups:\t27 1001 ',
  '',
].join('\n');

describe('parseProcStatus', () => {
  it('reads name, the four uids and gids, and NSpid', () => {
    expect(parseProcStatus(SAMPLE)).toEqual({
      name: 'python3',
      uid: { real: 1001, effective: 1002, saved: 1003, fs: 1004 },
      gid: { real: 2001, effective: 2002, saved: 2003, fs: 2004 },
      nsPid: [4242, 17, 1],
    });
  });

  it('accepts space separation and CRLF', () => {
    const text = 'Name: ray::Worker\r\nUid: 0 0 0 0\r\nGid:  5  5 5 5 \r\nNSpid: 9\r\n';
    expect(parseProcStatus(text)).toEqual({
      name: 'ray::Worker',
      uid: { real: 0, effective: 0, saved: 0, fs: 0 },
      gid: { real: 5, effective: 5, saved: 5, fs: 5 },
      nsPid: [9],
    });
  });

  it('keeps a comm with spaces (and one with a leading space after the tab)', () => {
    expect(parseProcStatus('Name:\tWeb Content\n').name).toBe('Web Content');
    expect(parseProcStatus('Name:\t x\n').name).toBe(' x');
  });

  it('rejects malformed id lines instead of guessing', () => {
    expect(parseProcStatus('Uid:\t1000\t1000\t1000\n').uid).toBeNull();
    expect(parseProcStatus('Uid:\t1000\t1000\t1000\t1000\t1000\n').uid).toBeNull();
    expect(parseProcStatus('Uid:\t-1\t0\t0\t0\n').uid).toBeNull();
    expect(parseProcStatus('Uid:\t4294967296\t0\t0\t0\n').uid).toBeNull();
    expect(parseProcStatus('Gid:\tabc\t0\t0\t0\n').gid).toBeNull();
    expect(parseProcStatus('NSpid:\t\n').nsPid).toBeNull();
  });

  it('missing keys are null; first occurrence wins', () => {
    expect(parseProcStatus('State:\tR\n')).toEqual({ name: null, uid: null, gid: null, nsPid: null });
    expect(parseProcStatus('Uid:\t1\t1\t1\t1\nUid:\t2\t2\t2\t2\n').uid?.real).toBe(1);
  });

  it('reads this process for real', () => {
    const status = parseProcStatus(readFileSync('/proc/self/status', 'utf8'));
    expect(status.uid?.real).toBe(process.getuid?.());
    expect(status.gid?.real).toBe(process.getgid?.());
    expect(status.nsPid?.[0]).toBe(process.pid);
    expect(status.name).not.toBeNull();
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const status = parseProcStatus(text);
        if (status.uid !== null) expect(Number.isInteger(status.uid.real)).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(parseProcStatus(null as unknown as string).name).toBeNull();
  });
});
