import { expect, it } from 'vitest';
import { publicUrlFromEnv } from './worker-env.ts';

it('GPUWARDEN_PUBLIC_URL: none when unset or empty, the base without trailing slash, a sentence for a bad value', () => {
  expect(publicUrlFromEnv({})).toBeNull();
  expect(publicUrlFromEnv({ GPUWARDEN_PUBLIC_URL: ' ' })).toBeNull();
  expect(publicUrlFromEnv({ GPUWARDEN_PUBLIC_URL: 'https://gw.example.workers.dev/' })).toBe('https://gw.example.workers.dev');
  expect(() => publicUrlFromEnv({ GPUWARDEN_PUBLIC_URL: 'gw.example' })).toThrow('GPUWARDEN_PUBLIC_URL must be an http(s) URL such as https://gpu.example.org, got "gw.example"');
});
