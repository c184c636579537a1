import { describe, expect, it } from 'vitest';
import { isoTimeInRange, SNAPSHOT_BOUNDS as B } from './schema.ts';

/** The definition isoTimeInRange must keep: what Date.parse reads, within the contract's years. */
function byDateParse(value: string): boolean {
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms >= B.minTimeMs && ms < B.maxTimeMs;
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EDGES = [
  '2026-05-28T20:47:14.560Z',
  '2026-05-28T20:47:14Z',
  '2026-05-28T20:47:14.560+02:00',
  '2026-05-28T20:47:14-11:30',
  '2026-02-30T00:00:00Z',
  '2026-02-31T00:00:00Z',
  '2026-02-32T00:00:00Z',
  '2026-04-31T00:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-00-01T00:00:00Z',
  '2026-01-00T00:00:00Z',
  '2026-01-01T24:00:00Z',
  '2026-01-01T24:00:01Z',
  '2026-01-01T23:60:00Z',
  '2026-01-01T23:59:60Z',
  '2026-01-01T00:00:00.1234567Z',
  '2026-01-01T00:00:00.1234567890123Z',
  '2026-01-01T00:00:00.Z',
  '2026-01-01T00:00:00,5Z',
  '2026-01-01T00:00:00+24:00',
  '2026-01-01T00:00:00+23:60',
  '2026-01-01T00:00:00+0100',
  '2026-01-01T00:00Z',
  '2026-01-01T00:00:00z',
  '2026-01-01t00:00:00Z',
  '2026-01-01 00:00:00Z',
  '2026-01-01T00:00:00',
  '2026-01-01',
  '2000-01-01T00:00:00Z',
  '2000-01-01T00:30:00+01:00',
  '1999-12-31T23:30:00-01:00',
  '1999-12-31T23:59:59.999Z',
  '2200-12-31T23:59:59.999Z',
  '2200-12-31T23:30:00-01:00',
  '2201-01-01T00:00:00Z',
  '2201-01-01T00:30:00+01:00',
  '2001-01-01T00:00:00+23:59',
  '2199-12-31T23:59:59-23:59',
  '+002026-01-01T00:00:00Z',
  '１２３４-01-01T00:00:00Z',
  '',
  'not a time',
];

describe('isoTimeInRange', () => {
  it('agrees with Date.parse on the edges of the ISO shape and of the range', () => {
    for (const s of EDGES) expect([s, isoTimeInRange(s)]).toEqual([s, byDateParse(s)]);
  });

  it('agrees with Date.parse on 200,000 mutated times (digits, separators, lengths)', () => {
    const next = rng(7);
    const alphabet = '0123456789-:T.Z+z ';
    const templates = ['2026-05-28T20:47:14.560Z', '2000-01-01T00:00:00+01:00', '2200-12-31T23:59:59.999-01:00', '2199-02-29T24:00:00Z'];
    for (let i = 0; i < 200_000; i++) {
      const chars = templates[i % templates.length]!.split('');
      const edits = 1 + Math.floor(next() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(next() * (chars.length + 1));
        const op = next();
        const c = alphabet[Math.floor(next() * alphabet.length)]!;
        if (op < 0.7) chars[Math.min(at, chars.length - 1)] = c;
        else if (op < 0.85) chars.splice(at, 0, c);
        else chars.splice(at, 1);
      }
      const s = chars.join('');
      if (isoTimeInRange(s) !== byDateParse(s)) expect([s, isoTimeInRange(s)]).toEqual([s, byDateParse(s)]);
    }
  });
});
