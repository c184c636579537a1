import { describe, expect, it } from 'vitest';
import { isSystemAccount } from './system-accounts.ts';

describe('isSystemAccount', () => {
  it('knows Debian base accounts, GPU-host service accounts and the systemd-/underscore families', () => {
    for (const name of ['root', 'daemon', 'www-data', 'nobody', 'games', 'man', 'sys', 'nvidia-persistenced', 'systemd-resolve', '_apt']) expect([name, isSystemAccount(name)]).toEqual([name, true]);
  });

  it('leaves people alone, even when their names look close', () => {
    for (const name of ['h.baker@hertie-school.lan', 'daemonic', 'rootkit-researcher', 'man.u', '228755', 'systemd']) expect([name, isSystemAccount(name)]).toEqual([name, false]);
  });
});
