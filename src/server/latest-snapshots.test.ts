import { describe, expect, it } from 'vitest';
import { snapshot, t } from '../../test/support/snapshot-factory.ts';
import { createLatestSnapshots } from './latest-snapshots.ts';

describe('createLatestSnapshots', () => {
  it('keeps the newest snapshot per host by takenAt: an older one arriving late does not replace it', () => {
    const latest = createLatestSnapshots();
    latest.remember(snapshot(t(10)));
    latest.remember(snapshot(t(5)));
    latest.remember(snapshot(t(1), { host: 'alpha' }));
    expect(latest.list().map((s) => [s.host, s.takenAt])).toEqual([['alpha', t(1)], ['ds01', t(10)]]);
    latest.remember(snapshot(t(11)));
    expect(latest.list('ds01').map((s) => s.takenAt)).toEqual([t(11)]);
    expect(latest.list('nope')).toEqual([]);
  });
});
