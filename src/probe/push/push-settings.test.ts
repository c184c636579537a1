import { describe, expect, it } from 'vitest';
import { defaultSpoolDir, parseServiceUrl } from './push-settings.ts';

describe('defaultSpoolDir', () => {
  it('is spool/ in the state folder: the system one for root, the XDG one for anyone else, never the current folder', () => {
    expect(defaultSpoolDir(0, {}, '/root')).toBe('/var/lib/gpuwarden/spool');
    expect(defaultSpoolDir(1000, {}, '/home/a')).toBe('/home/a/.local/state/gpuwarden/spool');
    expect(defaultSpoolDir(undefined, {}, '/home/a')).toBe('/home/a/.local/state/gpuwarden/spool');
    expect(defaultSpoolDir(0, { STATE_DIRECTORY: '/var/lib/gw' }, '/root')).toBe('/var/lib/gw/spool');
  });
});

describe('parseServiceUrl', () => {
  it('accepts https and loopback http, without a trailing slash', () => {
    expect(parseServiceUrl('https://gw.example.org/')).toEqual({ url: 'https://gw.example.org', cleartext: false });
    expect(parseServiceUrl('https://gw.example.org/base/')).toEqual({ url: 'https://gw.example.org/base', cleartext: false });
    expect(parseServiceUrl('http://127.0.0.1:8080')).toEqual({ url: 'http://127.0.0.1:8080', cleartext: false });
    expect(parseServiceUrl('http://localhost:8080')).toEqual({ url: 'http://localhost:8080', cleartext: false });
  });

  it('flags plain http to another host as cleartext', () => {
    expect(parseServiceUrl('http://gw.lan:8080')).toEqual({ url: 'http://gw.lan:8080', cleartext: true });
  });

  it('refuses what is not a usable base URL, in a sentence', () => {
    expect(() => parseServiceUrl('gw.example.org')).toThrow('is not a URL');
    expect(() => parseServiceUrl('ftp://gw.example.org')).toThrow('must start with https://');
    expect(() => parseServiceUrl('https://u:p@gw.example.org')).toThrow('must not hold a user name or password');
    expect(() => parseServiceUrl('https://gw.example.org/?x=1')).toThrow('?query or #fragment');
  });
});
