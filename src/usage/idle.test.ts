import { describe, expect, it } from 'vitest';
import { cid, container, snapshot, t } from '../../test/support/snapshot-factory.ts';
import { idleSecondsByContainer } from './idle.ts';

describe('idleSecondsByContainer', () => {
  const s = snapshot(t(10), { containers: [container('train', 'alice'), container('fresh', 'bob')] });
  const tracked = JSON.stringify({
    version: 1, lastTakenAt: t(10), processes: {}, gpus: {}, users: {},
    containers: { [cid('train')]: { firstSeenAt: t(0), lastActiveAt: t(4) }, [cid('gone')]: { firstSeenAt: t(0), lastActiveAt: t(0) } },
  });

  it('is lastTakenAt − lastActiveAt per container the tracked state knows, and leaves the others out', () => {
    expect(idleSecondsByContainer(s, { host: 'ds01', lastSeenAt: t(10), lastTakenAt: t(10), tracked })).toEqual({ [cid('train')]: 360 });
  });

  it('knows nothing without a record or with unreadable tracked state', () => {
    expect(idleSecondsByContainer(s, null)).toEqual({});
    expect(idleSecondsByContainer(s, { host: 'ds01', lastSeenAt: t(10), lastTakenAt: t(10), tracked: 'not json' })).toEqual({});
  });

  it('is never negative (activity recorded after the record\'s last snapshot time)', () => {
    const ahead = tracked.replace(t(4), t(12));
    expect(idleSecondsByContainer(s, { host: 'ds01', lastSeenAt: t(10), lastTakenAt: t(10), tracked: ahead })[cid('train')]).toBe(0);
  });
});
