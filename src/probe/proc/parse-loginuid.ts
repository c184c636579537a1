/** The kernel's "no login uid" value: (uid_t)-1, shown as 4294967295. */
const UNSET_LOGIN_UID = 4294967295;

/** Parse /proc/<pid>/loginuid (the audit login uid, kept across sudo/su); null when unset or junk. Never throws. */
export function parseLoginUid(text: string): number | null {
  if (typeof text !== 'string') return null;
  const value = text.trim();
  if (!/^\d{1,10}$/.test(value)) return null;
  const uid = Number(value);
  return uid >= UNSET_LOGIN_UID ? null : uid;
}
