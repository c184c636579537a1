import { describe, expect, it } from 'vitest';
import type { Exemption } from '../config/limits/exemptions.ts';
import {
  activeGrantFor, compareGrants, exemptionGrantId, filterGrants, grantActiveAt, grantSchema, grantsFromExemptions, PERMANENT_UNTIL, type Grant,
} from './grant.ts';

const T0 = '2026-12-01T10:00:00.000Z';
const hour = (n: number): Date => new Date(Date.parse(T0) + n * 3_600_000);
const iso = (n: number): string => hour(n).toISOString();

function grant(overrides: Partial<Grant> = {}): Grant {
  return {
    id: 'g1', user: 'alice', rule: 'idle-gpu-container', until: iso(24), reason: 'thesis deadline', createdBy: 'bob',
    createdAt: iso(-1), revokedAt: null, source: 'admin', ...overrides,
  };
}

function exemption(overrides: Partial<Exemption> = {}): Exemption {
  return { username: 'alice', exemptFrom: ['idle_timeout_h'], expiresAt: hour(48), reason: 'long training run', file: '/etc/ds01/lifecycle-exemptions.yaml', line: 3, ...overrides };
}

describe('grantSchema', () => {
  it('accepts a complete grant and refuses bad fields by path', () => {
    expect(grantSchema.parse(grant())).toEqual(grant());
    const bad = grantSchema.safeParse({ ...grant(), reason: '  ', until: '2026-12-04T17:00:00+01:00', rule: 'idle gpu', source: 'user', extra: 1 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['', 'reason', 'rule', 'source', 'until']);
  });

  it('accepts * as the rule and refuses a user with spaces', () => {
    expect(grantSchema.safeParse(grant({ rule: '*' })).success).toBe(true);
    expect(grantSchema.safeParse(grant({ user: 'a b' })).success).toBe(false);
  });
});

describe('grantActiveAt', () => {
  it('is in force until `until` (exclusive) and stops at revokedAt', () => {
    expect(grantActiveAt(grant(), hour(23))).toBe(true);
    expect(grantActiveAt(grant(), hour(24))).toBe(false);
    const revoked = grant({ revokedAt: iso(2) });
    expect(grantActiveAt(revoked, hour(1))).toBe(true);
    expect(grantActiveAt(revoked, hour(2))).toBe(false);
  });
});

describe('activeGrantFor', () => {
  it('finds the grant of exactly that user and rule, in force now', () => {
    const grants = [grant({ id: 'bob', user: 'bob' }), grant({ id: 'other-rule', rule: 'max-runtime' }), grant({ id: 'hit' })];
    expect(activeGrantFor(grants, { user: 'alice', rule: 'idle-gpu-container' }, hour(1))?.id).toBe('hit');
    expect(activeGrantFor(grants, { user: 'alice', rule: 'bare-metal-gpu' }, hour(1))).toBeNull();
    expect(activeGrantFor(grants, { user: 'carol', rule: 'idle-gpu-container' }, hour(1))).toBeNull();
    expect(activeGrantFor(grants, { user: 'ALICE', rule: 'idle-gpu-container' }, hour(1))).toBeNull();
  });

  it('ignores expired and revoked grants', () => {
    expect(activeGrantFor([grant({ until: iso(1) })], { user: 'alice', rule: 'idle-gpu-container' }, hour(1))).toBeNull();
    expect(activeGrantFor([grant({ revokedAt: iso(0) })], { user: 'alice', rule: 'idle-gpu-container' }, hour(1))).toBeNull();
    expect(activeGrantFor([grant({ revokedAt: iso(5) })], { user: 'alice', rule: 'idle-gpu-container' }, hour(1))?.id).toBe('g1');
  });

  it('lets a * grant cover every rule of its user, but prefers an exact one', () => {
    const any = grant({ id: 'any', rule: '*', until: iso(100) });
    expect(activeGrantFor([any], { user: 'alice', rule: 'bare-metal-gpu' }, hour(1))?.id).toBe('any');
    expect(activeGrantFor([any], { user: 'bob', rule: 'bare-metal-gpu' }, hour(1))).toBeNull();
    expect(activeGrantFor([any, grant({ id: 'exact' })], { user: 'alice', rule: 'idle-gpu-container' }, hour(1))?.id).toBe('exact');
    expect(activeGrantFor([any, grant({ id: 'exact', until: iso(1) })], { user: 'alice', rule: 'idle-gpu-container' }, hour(2))?.id).toBe('any');
  });

  it('picks the longest lasting of several, whatever the order', () => {
    const short = grant({ id: 'short', until: iso(5) });
    const long = grant({ id: 'long', until: iso(50) });
    expect(activeGrantFor([short, long], { user: 'alice', rule: 'idle-gpu-container' }, hour(1))?.id).toBe('long');
    expect(activeGrantFor([long, short], { user: 'alice', rule: 'idle-gpu-container' }, hour(1))?.id).toBe('long');
  });
});

describe('filterGrants and compareGrants', () => {
  const grants = [
    grant({ id: 'old', createdAt: iso(-5) }),
    grant({ id: 'b', user: 'bob', rule: 'max-runtime' }),
    grant({ id: 'a', user: 'bob' }),
    grant({ id: 'expired', until: iso(0) }),
    grant({ id: 'revoked', revokedAt: iso(0) }),
  ];

  it('lists those in force by default, newest first then id; every one with includeInactive', () => {
    expect(filterGrants(grants, {}, hour(1)).map((g) => g.id)).toEqual(['a', 'b', 'old']);
    expect(filterGrants(grants, { includeInactive: true }, hour(1)).map((g) => g.id)).toEqual(['a', 'b', 'expired', 'revoked', 'old']);
  });

  it('filters by user and exact rule', () => {
    expect(filterGrants(grants, { user: 'bob' }, hour(1)).map((g) => g.id)).toEqual(['a', 'b']);
    expect(filterGrants(grants, { user: 'bob', rule: 'max-runtime' }, hour(1)).map((g) => g.id)).toEqual(['b']);
    expect(filterGrants(grants, { rule: 'idle-gpu-container', includeInactive: true }, hour(1)).map((g) => g.id)).toEqual(['a', 'expired', 'revoked', 'old']);
  });

  it('orders by createdAt descending', () => {
    expect(compareGrants(grant({ createdAt: iso(1) }), grant({ createdAt: iso(0) }))).toBeLessThan(0);
    expect(compareGrants(grant({ id: 'a' }), grant({ id: 'b' }))).toBeLessThan(0);
    expect(compareGrants(grant(), grant())).toBe(0);
  });
});

describe('grantsFromExemptions', () => {
  it('maps each exempted limit to a read-only grant of its rule', () => {
    const grants = grantsFromExemptions([exemption({ exemptFrom: ['idle_timeout_h', 'max_runtime_h'] })], hour(0));
    expect(grants).toEqual([
      {
        id: 'ds01-exemption:alice:idle-gpu-container', user: 'alice', rule: 'idle-gpu-container', until: iso(48), reason: 'long training run',
        createdBy: 'lifecycle-exemptions.yaml', createdAt: T0, revokedAt: null, source: 'lifecycle-exemptions',
      },
      {
        id: 'ds01-exemption:alice:max-runtime', user: 'alice', rule: 'max-runtime', until: iso(48), reason: 'long training run',
        createdBy: 'lifecycle-exemptions.yaml', createdAt: T0, revokedAt: null, source: 'lifecycle-exemptions',
      },
    ]);
    for (const g of grants) expect(grantSchema.parse(g)).toEqual(g);
  });

  it('makes a permanent exemption last until PERMANENT_UNTIL and names the line when there is no reason', () => {
    const [g] = grantsFromExemptions([exemption({ expiresAt: null, reason: null, line: 7 })], hour(0));
    expect(g?.until).toBe(PERMANENT_UNTIL);
    expect(g?.reason).toBe('listed in lifecycle-exemptions.yaml (line 7)');
    expect(g !== undefined && grantActiveAt(g, new Date('2999-01-01T00:00:00Z'))).toBe(true);
    expect(grantsFromExemptions([exemption({ reason: '   ' })], hour(0))[0]?.reason).toBe('listed in lifecycle-exemptions.yaml (line 3)');
  });

  it('keeps an expired exemption as a grant that is not in force', () => {
    const grants = grantsFromExemptions([exemption({ expiresAt: hour(-1) })], hour(0));
    expect(grants).toHaveLength(1);
    expect(activeGrantFor(grants, { user: 'alice', rule: 'idle-gpu-container' }, hour(0))).toBeNull();
  });

  it('keeps one grant, the longest, for a user listed twice for one limit', () => {
    const grants = grantsFromExemptions([exemption({ expiresAt: hour(5) }), exemption({ expiresAt: null }), exemption({ expiresAt: hour(9) })], hour(0));
    expect(grants.map((g) => [g.id, g.until])).toEqual([[exemptionGrantId('alice', 'idle-gpu-container'), PERMANENT_UNTIL]]);
  });

  it('returns nothing for no exemptions', () => {
    expect(grantsFromExemptions([], hour(0))).toEqual([]);
  });
});
