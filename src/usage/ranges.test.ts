import { expect, it } from 'vitest';
import { usageWindow } from './ranges.ts';

it('24h is 288 five-minute buckets ending with the one holding now', () => {
  const w = usageWindow('24h', new Date('2026-11-25T17:22:10Z'));
  expect(w).toEqual({ stepS: 300, from: new Date('2026-11-24T17:25:00Z'), to: new Date('2026-11-25T17:25:00Z') });
  expect((w.to.getTime() - w.from.getTime()) / 300_000).toBe(288);
});

it('7d and 30d are hourly, ending at the end of the current hour', () => {
  expect(usageWindow('7d', new Date('2026-11-25T17:22:10Z'))).toEqual({ stepS: 3600, from: new Date('2026-11-18T18:00:00Z'), to: new Date('2026-11-25T18:00:00Z') });
  expect(usageWindow('30d', new Date('2026-11-25T17:00:00Z'))).toEqual({ stepS: 3600, from: new Date('2026-10-26T18:00:00Z'), to: new Date('2026-11-25T18:00:00Z') });
});
