import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolvePosixPath } from './posix-path.ts';

describe('resolvePosixPath', () => {
  it('agrees with node:path posix.resolve on absolute bases', () => {
    const cases: [string, string][] = [
      ['/etc/gpuwarden', 'secrets/smtp.password'],
      ['/etc/gpuwarden', '/run/secrets/x'],
      ['/etc/gpuwarden/', './a/../b//c'],
      ['/etc', '../../x'],
      ['/', 'a'],
      ['/a/b', '.'],
    ];
    for (const [base, path] of cases) expect(resolvePosixPath(base, path)).toBe(posix.resolve(base, path));
  });
});
