/** One account from passwd(5) or `getent passwd`. */
export interface PasswdEntry {
  /** Login name; may be an LDAP name such as `h.baker@hertie-school.lan` or `228755@hertie-school.lan`. */
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

/** Accounts indexed both ways; the first line wins when a uid or name repeats. */
export interface PasswdIndex {
  byUid: Map<number, PasswdEntry>;
  byName: Map<string, PasswdEntry>;
}

const ID = /^\d{1,10}$/;
const MAX_ID = 4294967295;

function parseId(value: string | undefined): number | null {
  if (value === undefined || !ID.test(value)) return null;
  const n = Number(value);
  return n <= MAX_ID ? n : null;
}

/** Parse one `name:password:uid:gid:gecos:home:shell` line; null for junk, comments and NIS `+`/`-` lines. */
export function parsePasswdLine(line: string): PasswdEntry | null {
  if (typeof line !== 'string') return null;
  const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (clean.trim() === '' || clean.startsWith('#')) return null;
  const fields = clean.split(':');
  if (fields.length < 7) return null;
  const name = fields[0] ?? '';
  if (name === '' || name.startsWith('+') || name.startsWith('-') || /\s/.test(name)) return null;
  const uid = parseId(fields[2]);
  const gid = parseId(fields[3]);
  if (uid === null || gid === null) return null;
  // A malformed gecos containing ':' shifts the fields; home and shell are always the last two.
  const home = fields[fields.length - 2] ?? '';
  const shell = fields[fields.length - 1] ?? '';
  return { name, uid, gid, home, shell };
}

/** Parse passwd(5) text (a file or `getent passwd` output). Tolerates junk, comments and CRLF. Never throws. */
export function parsePasswd(text: string): PasswdIndex {
  const index: PasswdIndex = { byUid: new Map(), byName: new Map() };
  if (typeof text !== 'string') return index;
  for (const line of text.split('\n')) {
    const entry = parsePasswdLine(line);
    if (entry === null) continue;
    if (!index.byUid.has(entry.uid)) index.byUid.set(entry.uid, entry);
    if (!index.byName.has(entry.name)) index.byName.set(entry.name, entry);
  }
  return index;
}
