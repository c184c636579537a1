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
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}
