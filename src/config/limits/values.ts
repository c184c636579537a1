import { z } from 'zod';
import { closestName } from './suggest.ts';

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (message: string): Parsed<never> => ({ ok: false, message });

/** How a YAML value reads in a message: `"a day"`, `3`, `true`, `a list`, `a mapping`, `null`. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Date) return `the date ${v.toISOString()}`;
  return 'a mapping';
}

/** A zod field that runs a parser and turns its failure into one issue with our own sentence. */
function field<T>(parse: (v: unknown) => Parsed<T>): z.ZodType<T> {
  return z.unknown().transform((v, ctx): T => {
    const r = parse(v);
    if (r.ok) return r.value;
    ctx.addIssue({ code: 'custom', message: r.message });
    return z.NEVER;
  });
}

const NO_LIMIT_WORDS = new Set(['never', 'indefinite', 'none', 'unlimited']);

interface NumberRule {
  /** What the number counts, for messages: `a number of GPU-equivalents`. */
  what: string;
  integer?: boolean;
  min?: number;
  max?: number;
}

function checkNumber(v: number, rule: NumberRule): Parsed<number> {
  const min = rule.min ?? 0;
  if (!Number.isFinite(v)) return bad(`expected ${rule.what}, got ${describeValue(v)}`);
  if (rule.integer === true && !Number.isInteger(v)) return bad(`expected ${rule.what} (a whole number), got ${v}`);
  if (v < min) return bad(`must be at least ${min}, got ${v}`);
  if (rule.max !== undefined && v > rule.max) return bad(`must be at most ${rule.max}, got ${v}`);
  return ok(v);
}

/** A number; null is not allowed (a threshold, a count that must be set). */
export function numberValue(rule: NumberRule): z.ZodType<number> {
  return field((v) => (typeof v === 'number' ? checkNumber(v, rule) : bad(`expected ${rule.what}, got ${describeValue(v)}`)));
}

/** A numeric limit where `null` (or `"unlimited"`) means no limit. */
export function limitValue(rule: NumberRule): z.ZodType<number | null> {
  return field((v) => {
    if (v === null) return ok(null);
    if (typeof v === 'string' && v.trim().toLowerCase() === 'unlimited') return ok(null);
    if (typeof v === 'number') return checkNumber(v, rule);
    return bad(`expected ${rule.what} or null (unlimited), got ${describeValue(v)}`);
  });
}

const UNIT_WORDS = { h: 'hours', m: 'minutes', s: 'seconds' } as const;

/**
 * A duration whose unit is the key's suffix (`_h`, `_m`, `_s`): a bare number ≥ 0, or `null` / `"never"` /
 * `"indefinite"` / `"None"` for no limit (DS01 `ds01_core.py:duration_to_seconds`).
 */
export function durationValue(unit: keyof typeof UNIT_WORDS): z.ZodType<number | null> {
  const words = UNIT_WORDS[unit];
  return field((v) => {
    if (v === null) return ok(null);
    if (typeof v === 'string' && NO_LIMIT_WORDS.has(v.trim().toLowerCase())) return ok(null);
    if (typeof v === 'number') return checkNumber(v, { what: `a number of ${words}` });
    return bad(`expected a number of ${words} (the unit is the key's _${unit} suffix) or null/"never" for no limit, got ${describeValue(v)}`);
  });
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50, e: 2 ** 60 };
const SIZE_PATTERN = /^(\d+(?:\.\d+)?)\s*([bkmgtpe]?)(?:i?b)?$/i;

/** Bytes of a Docker / systemd size (`32g`, `96G`, `512M`, `1T`, 1024-based), or null for `null` / `infinity`. */
export function parseSizeBytes(v: unknown): Parsed<number | null> {
  if (v === null) return ok(null);
  if (typeof v === 'number') return checkNumber(v, { what: 'a size in bytes', integer: true });
  if (typeof v === 'string') {
    const text = v.trim();
    if (text.toLowerCase() === 'infinity') return ok(null);
    const m = SIZE_PATTERN.exec(text);
    const unit = SIZE_UNITS[(m?.[2] ?? '').toLowerCase()];
    if (m !== null && unit !== undefined) return ok(Math.round(Number(m[1]) * unit));
  }
  return bad(`expected a size such as 32g, 96G or 512M (units k, m, g, t; 1024-based) or null, got ${describeValue(v)}`);
}

/** A memory or storage size, parsed to bytes (`32g` → 34359738368); null = no limit. */
export const sizeValue: z.ZodType<number | null> = field(parseSizeBytes);

/** A systemd CPU quota such as `"9600%"` (100% = one CPU), parsed to the percentage; null = no limit. */
export const cpuQuotaValue: z.ZodType<number | null> = field((v) => {
  if (v === null) return ok(null);
  const m = typeof v === 'string' ? /^(\d+(?:\.\d+)?)%$/.exec(v.trim()) : null;
  if (m !== null) return ok(Number(m[1]));
  return bad(`expected a systemd CPU quota such as "9600%" (100% = one CPU) or null, got ${describeValue(v)}`);
});

/** true or false (YAML 1.1 also reads yes/no/on/off as booleans, as PyYAML does). */
export const boolValue: z.ZodType<boolean> = field((v) =>
  typeof v === 'boolean' ? ok(v) : bad(`expected true or false, got ${describeValue(v)}`),
);

/** A piece of text; a bare YAML number is taken as its text (`228755` in a user list is a user name). */
export const textValue: z.ZodType<string> = field((v) => {
  if (typeof v === 'string') return ok(v);
  if (typeof v === 'number' && Number.isFinite(v)) return ok(String(v));
  return bad(`expected text, got ${describeValue(v)}`);
});

/** A piece of text, or null. */
export const optionalTextValue: z.ZodType<string | null> = field((v) => {
  if (v === null) return ok(null);
  if (typeof v === 'string') return ok(v);
  if (typeof v === 'number' && Number.isFinite(v)) return ok(String(v));
  return bad(`expected text or null, got ${describeValue(v)}`);
});

/** A list of names (users, containers); null reads as an empty list. */
export const nameListValue: z.ZodType<string[]> = field((v) => {
  if (v === null) return ok([]);
  if (!Array.isArray(v)) return bad(`expected a list of names, got ${describeValue(v)}`);
  const out: string[] = [];
  for (const [i, item] of v.entries()) {
    if (typeof item === 'string' && item.trim() !== '') out.push(item.trim());
    else if (typeof item === 'number' && Number.isFinite(item)) out.push(String(item));
    else return bad(`item ${i + 1} must be a name, got ${describeValue(item)}`);
  }
  return ok(out);
});

/** One of a fixed set of words, with a suggestion for a near miss. */
export function enumValue<const T extends string>(allowed: readonly T[]): z.ZodType<T> {
  return field((v) => {
    if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return ok(v as T);
    const near = typeof v === 'string' ? closestName(v, allowed) : null;
    const hint = near === null ? '' : ` (did you mean ${near}?)`;
    return bad(`expected one of ${allowed.join(', ')}, got ${describeValue(v)}${hint}`);
  });
}

/** Any YAML scalar kept as is (for DS01 keys that are documented but never interpreted, e.g. `checkpoint_warning: 1h`). */
export const scalarValue: z.ZodType<string | number | boolean | null> = field((v) => {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return ok(v);
  return bad(`expected a single value, got ${describeValue(v)}`);
});
