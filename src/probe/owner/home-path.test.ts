import { describe, expect, it } from 'vitest';
import { homeUserOf, normaliseAbsolute, normaliseHomeRoot } from './home-path.ts';

describe('normaliseAbsolute', () => {
  it('normalises absolute paths lexically', () => {
    expect(normaliseAbsolute('/home/alice/../bob/x')).toBe('/home/bob/x');
    expect(normaliseAbsolute('//home//alice/./x')).toBe('/home/alice/x');
    expect(normaliseAbsolute('/../../home/a')).toBe('/home/a');
  });

  it('rejects relative, empty, NUL-containing and non-string paths', () => {
    for (const p of ['home/alice', './x', '', '~alice', '/a\0b', null, undefined, 5, {}]) {
      expect(normaliseAbsolute(p), String(p)).toBeNull();
    }
  });
});

describe('normaliseHomeRoot', () => {
  it('strips trailing slashes but keeps "/"', () => {
    expect(normaliseHomeRoot('/home/')).toBe('/home');
    expect(normaliseHomeRoot('/data/users//')).toBe('/data/users');
    expect(normaliseHomeRoot('/')).toBe('/');
    expect(normaliseHomeRoot('home')).toBeNull();
  });
});

describe('homeUserOf', () => {
  it('returns the first segment under the home root', () => {
    expect(homeUserOf('/home/alice/projects/x', '/home')).toBe('alice');
    expect(homeUserOf('/home/alice', '/home')).toBe('alice');
    expect(homeUserOf('/home/alice/', '/home/')).toBe('alice');
    expect(homeUserOf('/home/h.baker@hertie-school.lan/ws', '/home')).toBe('h.baker@hertie-school.lan');
  });

  it('is not fooled by traversal or prefixes', () => {
    expect(homeUserOf('/home/alice/../bob/x', '/home')).toBe('bob');
    expect(homeUserOf('/home/alice/../../etc/passwd', '/home')).toBeNull();
    expect(homeUserOf('/homes/alice', '/home')).toBeNull();
    expect(homeUserOf('/home', '/home')).toBeNull();
    expect(homeUserOf('/home/', '/home')).toBeNull();
    expect(homeUserOf('/var/home/alice', '/home')).toBeNull();
  });

  it('works with a root of "/" and rejects a bad root', () => {
    expect(homeUserOf('/alice/x', '/')).toBe('alice');
    expect(homeUserOf('/home/alice', 'home')).toBeNull();
    expect(homeUserOf('/home/alice', null)).toBeNull();
  });
});
