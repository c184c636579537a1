// The one duration grammar of gpuwarden, Prometheus' (and Alertmanager's): whole numbers with units y, w, d, h, m, s,
// ms, each at most once, largest first (`30s`, `5m`, `1h30m`, `1w`), or a bare `0`. Rules, routing, silences, grants
// and every CLI flag read durations here, so what works in one place works in all.

/** Units a duration may use, in milliseconds, largest first (Prometheus: a year is 365 days, a week 7). */
export const DURATION_UNITS_MS = { y: 31_536_000_000, w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;

type Unit = keyof typeof DURATION_UNITS_MS;
const UNITS = Object.keys(DURATION_UNITS_MS) as Unit[];

/** The accepted shape of a duration string (Prometheus' grammar; also the JSON Schema pattern of rule files). */
export const DURATION_PATTERN = /^(?:0|(?=\d)(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?)$/;

const HINT = 'use whole numbers with units y, w, d, h, m, s, ms, largest first, e.g. 30s, 5m, 1h30m, 1d, 1w';

/** A duration that cannot be read, with a sentence saying why and what would be accepted. */
export class DurationError extends Error {
  override name = 'DurationError';
}

/** The (number, unit) parts of a text made only of such parts, or null. */
function partsOf(text: string): { n: number; unit: string }[] | null {
  if (!/^(\d+[a-zA-Z]+)+$/.test(text)) return null;
  return [...text.matchAll(/(\d+)([a-zA-Z]+)/g)].map((m) => ({ n: Number(m[1]), unit: m[2] ?? '' }));
}

function sumMs(parts: readonly { n: number; unit: string }[]): number {
  return parts.reduce((ms, p) => ms + p.n * (DURATION_UNITS_MS[p.unit as Unit] ?? Number.NaN), 0);
}

/** Why `text` is not a duration (the message names the value and, where it can, what was meant), or null. */
export function durationProblem(text: string): string | null {
  const bad = (why: string): string => `invalid duration "${text}": ${why}`;
  if (text === '') return bad(`is empty; ${HINT}`);
  if (DURATION_PATTERN.test(text)) {
    return Number.isSafeInteger(sumMs(partsOf(text) ?? [])) ? null : bad('too large');
  }
  if (/\s/.test(text)) return bad(`no spaces allowed; ${HINT}`);
  if (text.startsWith('-')) return bad(`durations cannot be negative; ${HINT}`);
  if (/^\d+$/.test(text)) return bad(`a unit is required (${text}s?); ${HINT}`);
  const fraction = /^(\d+\.\d+)(y|w|d|h|ms|m|s)$/.exec(text);
  if (fraction !== null) {
    const ms = Number(fraction[1]) * DURATION_UNITS_MS[fraction[2] as Unit];
    return bad(`fractions are not allowed${Number.isSafeInteger(ms) ? ` (${formatDurationMs(ms)}?)` : ''}; ${HINT}`);
  }
  const parts = partsOf(text);
  if (parts === null) return bad(HINT);
  const unknown = parts.find((p) => !(UNITS as string[]).includes(p.unit));
  if (unknown !== undefined) return bad(`unknown unit "${unknown.unit}"; ${HINT}`);
  const order = parts.map((p) => UNITS.indexOf(p.unit as Unit));
  if (new Set(order).size !== order.length) return bad(`each unit at most once; ${HINT}`);
  const ms = sumMs(parts);
  return bad(`largest unit first${Number.isSafeInteger(ms) ? ` (${formatDurationMs(ms)}?)` : ''}; ${HINT}`);
}

/** Parse a duration into milliseconds; throws DurationError with a clear sentence otherwise. */
export function parseDurationMs(text: string): number {
  const problem = durationProblem(text);
  if (problem !== null) throw new DurationError(problem);
  return sumMs(partsOf(text) ?? []);
}

/** Parse a duration into seconds (fractional below a second: `1500ms` → 1.5); throws DurationError. */
export function parseDuration(text: string): number {
  return parseDurationMs(text) / 1000;
}

/** Milliseconds written in the grammar, largest units first (5,400,000 → `1h30m`; 0 → `0s`). */
export function formatDurationMs(ms: number): string {
  let rest = Math.round(ms);
  let out = '';
  for (const unit of UNITS) {
    const size = DURATION_UNITS_MS[unit];
    if (unit === 'y' || rest < size) continue; // years only when typed: 365d reads as 52w1d
    out += `${Math.floor(rest / size)}${unit}`;
    rest %= size;
  }
  return out === '' ? '0s' : out;
}

/** Seconds written in the grammar (5400 → `1h30m`). */
export function formatDuration(sec: number): string {
  return formatDurationMs(sec * 1000);
}
