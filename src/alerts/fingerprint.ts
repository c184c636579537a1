/** Canonical text of an alert's identity: rule id and labels sorted by name. */
export function identityText(rule: string, labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels).sort();
  return JSON.stringify([rule, ...keys.map((k) => [k, labels[k]])]);
}

/**
 * Fingerprints already computed, by identity text: the same alerts are fingerprinted on every snapshot of their
 * host, and hashing costs as much as building the text. A pure memo (same text, same hash), emptied when full.
 */
const byIdentity = new Map<string, string>();
/** Enough for every alert of a large fleet (~21 per host); at most a few MB. */
export const FINGERPRINT_MEMO_ENTRIES = 20_000;

/**
 * Alert identity = 64-bit FNV-1a of rule id + sorted labels, as 16 hex digits (Alertmanager-style: the same
 * rule on the same subject is the same alert across evaluations and restarts). Pure, no crypto API needed.
 */
export function fingerprint(rule: string, labels: Readonly<Record<string, string>>): string {
  const text = identityText(rule, labels);
  const known = byIdentity.get(text);
  if (known !== undefined) return known;
  const fp = fnv1a64(text);
  if (byIdentity.size >= FINGERPRINT_MEMO_ENTRIES) byIdentity.clear();
  byIdentity.set(text, fp);
  return fp;
}

/** 64-bit FNV-1a of `text`'s UTF-16 code units, as 16 hex digits. */
function fnv1a64(text: string): string {
  // 64-bit arithmetic in two 32-bit halves (BigInt is ~10x slower): prime 0x100000001b3 = 2^40 + 0x1b3.
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    lo = (lo ^ text.charCodeAt(i)) >>> 0;
    const loMul = lo * 0x1b3;
    const carry = Math.floor(loMul / 0x100000000);
    hi = (hi * 0x1b3 + carry + ((lo << 8) >>> 0)) >>> 0;
    lo = loMul >>> 0;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
