import { describe, expect, it } from 'vitest';
import { stateDir } from './state-dir.ts';

describe('stateDir', () => {
  it("prefers systemd's STATE_DIRECTORY (its first entry)", () => {
    expect(stateDir({ env: { STATE_DIRECTORY: '/var/lib/gw-a:/var/lib/gw-b' }, uid: 0, home: '/root' })).toBe('/var/lib/gw-a');
    expect(stateDir({ env: { STATE_DIRECTORY: '/srv/state' }, uid: 1000, home: '/home/a' })).toBe('/srv/state');
  });

  it('uses /var/lib/gpuwarden for root, else the XDG state folder', () => {
    expect(stateDir({ env: {}, uid: 0, home: '/root' })).toBe('/var/lib/gpuwarden');
    expect(stateDir({ env: { XDG_STATE_HOME: '/x/state' }, uid: 1000, home: '/home/a' })).toBe('/x/state/gpuwarden');
    expect(stateDir({ env: {}, uid: 1000, home: '/home/a' })).toBe('/home/a/.local/state/gpuwarden');
    expect(stateDir({ env: {}, uid: undefined, home: '/home/a' })).toBe('/home/a/.local/state/gpuwarden');
  });

  it('ignores relative values, which would depend on the current folder', () => {
    expect(stateDir({ env: { STATE_DIRECTORY: 'state', XDG_STATE_HOME: 'xdg' }, uid: 1000, home: '/home/a' })).toBe('/home/a/.local/state/gpuwarden');
  });
});
