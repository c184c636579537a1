// Pure checks of the push flags: the service URL and where the spool lives by default.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { stateDir, SYSTEM_STATE_DIR, type StateDirInputs } from '../../state-dir.ts';

/** Spool folder for root (a system service) without systemd's $STATE_DIRECTORY. */
export const SYSTEM_SPOOL_DIR = join(SYSTEM_STATE_DIR, 'spool');

/** `spool/` in the state folder: /var/lib/gpuwarden/spool as root, else ~/.local/state/gpuwarden/spool (see state-dir.ts). */
export function defaultSpoolDir(uid: number | undefined, env: StateDirInputs['env'] = process.env, home: string = homedir()): string {
  return join(stateDir({ env, uid, home }), 'spool');
}

/** A checked service base URL; `cleartext` when the token would cross the network unencrypted. */
export interface ServiceUrl {
  url: string;
  cleartext: boolean;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Check a `--push` value: an absolute http(s) URL without credentials, query or fragment; throws a plain RangeError. */
export function parseServiceUrl(text: string): ServiceUrl {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new RangeError(`"${text}" is not a URL; give the service's base URL, like https://gpuwarden.example.org`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new RangeError(`"${text}" must start with https:// (or http:// on a trusted network)`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new RangeError('the URL must not hold a user name or password; the token comes from --token-file');
  }
  if (parsed.search !== '' || parsed.hash !== '') throw new RangeError(`"${text}" must not have a ?query or #fragment`);
  const url = parsed.href.replace(/\/+$/, '');
  const cleartext = parsed.protocol === 'http:' && !LOOPBACK_HOSTS.has(parsed.hostname);
  return { url, cleartext };
}
