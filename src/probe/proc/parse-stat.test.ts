import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBootTimeSec } from './parse-boot-time.ts';
import { parseProcStat, startTimeIso } from './parse-stat.ts';

/** 52 fields as Linux 5.x writes them; starttime (field 22) is 123456. */
function statLine(pid: number, comm: string, starttime = 123456): string {
  const after = ['S', '1', '4242', '4242', '0', '-1', '4194560', '1', '0', '0', '0', '5', '3', '0', '0', '20', '0', '1', '0', String(starttime)];
  const rest = Array.from({ length: 30 }, () => '0');
  return `${pid} (${comm}) ${[...after, ...rest].join(' ')}\n`;
}

describe('parseProcStat', () => {
  it('reads pid, comm, state, ppid and starttime (field 22)', () => {
    expect(parseProcStat(statLine(4242, 'python3'))).toEqual({
      pid: 4242,
      comm: 'python3',
      state: 'S',
      ppid: 1,
      startTimeTicks: 123456,
    });
  });

  it('comm may contain spaces, parentheses and a ") " sequence: the last ) ends it', () => {
    expect(parseProcStat(statLine(7, 'a) (b c)) S 9'))).toMatchObject({ pid: 7, comm: 'a) (b c)) S 9', state: 'S', ppid: 1 });
    expect(parseProcStat(statLine(8, 'Web Content'))?.comm).toBe('Web Content');
    expect(parseProcStat(statLine(9, ''))?.comm).toBe('');
  });

  it('returns null for truncated or malformed text', () => {
    expect(parseProcStat('')).toBeNull();
    expect(parseProcStat('4242 (python3) S 1 4242')).toBeNull();
    expect(parseProcStat('abc (x) S 1')).toBeNull();
    expect(parseProcStat(statLine(1, 'x').replace(' S ', ' SS '))).toBeNull();
    expect(parseProcStat(statLine(1, 'x').replace('123456', '-5'))).toBeNull();
    expect(parseProcStat('4242 python3 S 1')).toBeNull();
    expect(parseProcStat(') 1 (')).toBeNull();
    expect(parseProcStat(undefined as unknown as string)).toBeNull();
  });

  it('reads this process for real', () => {
    const stat = parseProcStat(readFileSync('/proc/self/stat', 'utf8'));
    expect(stat?.pid).toBe(process.pid);
    expect(stat?.ppid).toBe(process.ppid);
    expect(stat?.startTimeTicks).toBeGreaterThan(0);
  });

  it('never throws on arbitrary text or comm', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ maxLength: 20 }), (text, comm) => {
        parseProcStat(text);
        expect(parseProcStat(statLine(5, comm))?.comm).toBe(comm);
      }),
      { numRuns: 300 },
    );
  });
});

describe('startTimeIso', () => {
  it('adds ticks / CLK_TCK to the boot time', () => {
    expect(startTimeIso(0, 1_700_000_000, 100)).toBe('2023-11-14T22:13:20.000Z');
    expect(startTimeIso(12_345, 1_700_000_000, 100)).toBe('2023-11-14T22:15:23.450Z');
    expect(startTimeIso(250, 1_700_000_000, 1000)).toBe('2023-11-14T22:13:20.250Z');
  });

  it('returns null for unusable inputs', () => {
    expect(startTimeIso(-1, 1_700_000_000, 100)).toBeNull();
    expect(startTimeIso(1, Number.NaN, 100)).toBeNull();
    expect(startTimeIso(1, 1_700_000_000, 0)).toBeNull();
    expect(startTimeIso(1, 1_700_000_000, -100)).toBeNull();
    expect(startTimeIso(Number.POSITIVE_INFINITY, 0, 100)).toBeNull();
    expect(startTimeIso(Number.MAX_SAFE_INTEGER, 1e12, 1)).toBeNull();
  });

  it('gives this process a start time close to now minus its uptime', () => {
    const bootTimeSec = parseBootTimeSec(readFileSync('/proc/stat', 'utf8'));
    const stat = parseProcStat(readFileSync('/proc/self/stat', 'utf8'));
    expect(bootTimeSec).not.toBeNull();
    // CLK_TCK is 100 on every Linux architecture the probe targets.
    const iso = startTimeIso(stat?.startTimeTicks ?? -1, bootTimeSec ?? -1, 100);
    expect(iso).not.toBeNull();
    const expectedMs = Date.now() - process.uptime() * 1000;
    expect(Math.abs(Date.parse(iso ?? '') - expectedMs)).toBeLessThan(5000);
  });

  it('always yields a 4-digit-year ISO string or null', () => {
    fc.assert(
      fc.property(fc.double(), fc.double(), fc.double(), (ticks, boot, hz) => {
        const iso = startTimeIso(ticks, boot, hz);
        if (iso !== null) expect(iso).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseBootTimeSec', () => {
  it('finds the btime line', () => {
    expect(parseBootTimeSec('cpu  1 2 3\nintr 5\nctxt 9\nbtime 1795625847\nprocesses 12\n')).toBe(1795625847);
    expect(parseBootTimeSec('btime 17\r\n')).toBe(17);
  });

  it('null when absent or junk', () => {
    expect(parseBootTimeSec('cpu 1 2 3\n')).toBeNull();
    expect(parseBootTimeSec('btime abc\n')).toBeNull();
    expect(parseBootTimeSec('xbtime 5\n')).toBeNull();
    expect(parseBootTimeSec('')).toBeNull();
    expect(parseBootTimeSec(5 as unknown as string)).toBeNull();
  });
});
