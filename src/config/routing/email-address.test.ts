import { describe, expect, it } from 'vitest';
import { isEmailAddress, isMailbox } from './email-address.ts';

describe('isEmailAddress', () => {
  it.each(['h.baker@hertie-school.org', '228755@students.hertie-school.org', 'a+b@x.org', 'root@localhost', 'h.baker@hertie-school.lan'])('accepts %s', (a) => {
    expect(isEmailAddress(a)).toBe(true);
  });

  it.each(['admins', '@x.org', 'a@', 'a@b@c.org', 'a b@x.org', 'a@x..org', 'a@.x.org', 'a@x.org.', '<a@x.org>', 'a@x.org,b@x.org', '228755 at students'])(
    'rejects %s',
    (a) => {
      expect(isEmailAddress(a)).toBe(false);
    },
  );
});

describe('isMailbox', () => {
  it.each(['gw@example.org', 'gpuwarden <gw@example.org>', '"DS01 GPU server" <gw@example.org>', ' gw@example.org '])('accepts %s', (a) => {
    expect(isMailbox(a)).toBe(true);
  });

  it.each(['gpuwarden', 'gpuwarden <gw>', 'a <b@x.org> <c@x.org>', 'gpuwarden <>'])('rejects %s', (a) => {
    expect(isMailbox(a)).toBe(false);
  });
});
