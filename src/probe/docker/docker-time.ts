import { isoTimeInRange } from '../../snapshot/schema.ts';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
const FOUR_DIGIT_YEAR_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * A Docker timestamp as `toISOString()`, or null. Accepts RFC 3339 with 0-9 fractional digits
 * (truncated to milliseconds) and, for the list endpoint's `Created`, unix seconds.
 * Docker's zero time (`0001-01-01T00:00:00Z`), anything unparsable and any time outside the snapshot contract's
 * years (2000-2200) become null.
 */
export function parseDockerTime(value: unknown): string | null {
  if (typeof value === 'number') return fromMillis(value > 0 ? value * 1000 : Number.NaN);
  if (typeof value !== 'string') return null;
  const m = RFC3339.exec(value.trim());
  if (m === null) return null;
  const [, year, month, day, hour, minute, second, fraction, zone] = m;
  if (year === '0001' || year === '0000') return null;
  if (!validFields(Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second))) return null;
  const millis = (fraction ?? '').padEnd(3, '0').slice(0, 3);
  return fromMillis(Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}.${millis}${zone}`));
}

function validFields(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

function fromMillis(ms: number): string | null {
  if (!Number.isFinite(ms)) return null;
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return null;
  const iso = date.toISOString();
  return FOUR_DIGIT_YEAR_ISO.test(iso) && isoTimeInRange(iso) ? iso : null;
}
