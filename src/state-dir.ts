// Where gpuwarden keeps its state (the service's SQLite file, the probe's spool) when no path is given.
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** The state folder of a system service (root without systemd's $STATE_DIRECTORY). */
export const SYSTEM_STATE_DIR = '/var/lib/gpuwarden';

/** What the state folder depends on (injected for tests). */
export interface StateDirInputs {
  env: Readonly<Record<string, string | undefined>>;
  /** The process's uid; undefined where there is none (Windows). */
  uid: number | undefined;
  home: string;
}

/**
 * The state folder: systemd's $STATE_DIRECTORY (its first entry) when set, /var/lib/gpuwarden for root,
 * else $XDG_STATE_HOME/gpuwarden, else ~/.local/state/gpuwarden. Never relative to the current folder.
 */
export function stateDir(inputs: StateDirInputs = { env: process.env, uid: process.getuid?.(), home: homedir() }): string {
  const systemd = inputs.env.STATE_DIRECTORY?.split(':')[0];
  if (systemd !== undefined && isAbsolute(systemd)) return systemd;
  if (inputs.uid === 0) return SYSTEM_STATE_DIR;
  const xdg = inputs.env.XDG_STATE_HOME;
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'gpuwarden');
  return join(inputs.home, '.local', 'state', 'gpuwarden');
}
