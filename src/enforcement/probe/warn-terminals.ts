// `warn`: write a message to every terminal of a person. Terminals are found from /proc/*/fd/{0,1,2} links to
// /dev/pts/N or /dev/ttyN whose device belongs to the person's uid; each is opened write-only, never as the
// controlling terminal, never blocking, and never through a shell.
import { constants } from 'node:fs';
import { open, readdir, readlink, stat } from 'node:fs/promises';
import type { ActOutcome } from './stop-container.ts';

/** Largest message written, in bytes. */
export const MAX_WARN_BYTES = 4000;

/** Where to look; injectable so tests use a fake /proc and /dev. */
export interface TerminalRoots {
  procRoot: string;
  devRoot: string;
  /** Only character devices count (default true; tests with plain files set false). */
  charDevicesOnly?: boolean;
}

const TERMINAL_LINK = /^\/dev\/(pts\/\d{1,7}|tty\d{1,4})$/;

/** The message without control characters (newlines kept), cut to MAX_WARN_BYTES at a character boundary. */
export function cleanMessage(message: string): string {
  const text = message.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '');
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    bytes += Buffer.byteLength(ch, 'utf8');
    if (bytes > MAX_WARN_BYTES) break;
    out += ch;
  }
  return out;
}

/** The terminals (paths under devRoot) that processes hold open on fd 0-2 and that `uid` owns, sorted. */
export async function findTerminals(roots: TerminalRoots, uid: number): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(roots.procRoot);
  } catch {
    return [];
  }
  const candidates = new Set<string>();
  await Promise.all(
    entries
      .filter((e) => /^\d+$/.test(e))
      .map(async (pid) => {
        for (const fd of [0, 1, 2]) {
          const link = await readlink(`${roots.procRoot}/${pid}/fd/${fd}`).catch(() => null);
          const m = link === null ? null : TERMINAL_LINK.exec(link);
          if (m?.[1] !== undefined) candidates.add(m[1]);
        }
      }),
  );
  const owned: string[] = [];
  for (const rel of [...candidates].sort()) {
    const path = `${roots.devRoot}/${rel}`;
    const st = await stat(path).catch(() => null);
    if (st === null || st.uid !== uid) continue;
    if ((roots.charDevicesOnly ?? true) && !st.isCharacterDevice()) continue;
    owned.push(path);
  }
  return owned;
}

/** Write the text to one terminal: O_WRONLY | O_NOCTTY | O_NONBLOCK, no shell. */
async function writeTerminal(path: string, text: string): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_NOCTTY | constants.O_NONBLOCK);
  try {
    await handle.write(text);
  } finally {
    await handle.close();
  }
}

/** Write the message to every terminal of `user` (uid `uid`); done when at least one took it. */
export async function warnUser(roots: TerminalRoots, user: string, uid: number, message: string): Promise<ActOutcome> {
  const terminals = await findTerminals(roots, uid);
  if (terminals.length === 0) return { outcome: 'failed', detail: `no terminal of ${user} found` };
  const text = `\r\n[gpuwarden] ${cleanMessage(message).replace(/\n/g, '\r\n')}\r\n`;
  const results = await Promise.allSettled(terminals.map((t) => writeTerminal(t, text)));
  const written = results.filter((r) => r.status === 'fulfilled').length;
  if (written === 0) return { outcome: 'failed', detail: `could not write to any of ${terminals.length} terminal(s) of ${user}` };
  const failed = terminals.length - written;
  return { outcome: 'done', detail: `written to ${written} terminal(s)${failed > 0 ? ` (${failed} could not be written)` : ''}` };
}
