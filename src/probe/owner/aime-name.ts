const AIME_NAME = /\._\.(\d{1,10})$/;
const MAX_UID = 4294967294; // 2^32 - 2; (uid_t) -1 is "no user"

/** The numeric UID suffix of an AIME/DS01 CLI container name `<name>._.<uid>`, or null. */
export function aimeUidOfName(name: unknown): number | null {
  if (typeof name !== 'string') return null;
  const m = AIME_NAME.exec(name);
  if (m === null || m[1] === undefined) return null;
  const uid = Number(m[1]);
  return Number.isSafeInteger(uid) && uid <= MAX_UID ? uid : null;
}
