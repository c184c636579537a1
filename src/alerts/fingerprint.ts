/** Canonical text of an alert's identity: rule id and labels sorted by name. */
export function identityText(rule: string, labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels).sort();
  return JSON.stringify([rule, ...keys.map((k) => [k, labels[k]])]);
}

/**
 * Alert identity = 64-bit FNV-1a of rule id + sorted labels, as 16 hex digits (Alertmanager-style: the same
 * rule on the same subject is the same alert across evaluations and restarts). Pure, no crypto API needed.
 */
export function fingerprint(rule: string, labels: Readonly<Record<string, string>>): string {
  const text = identityText(rule, labels);
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
