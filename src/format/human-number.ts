// Numbers for people: as many decimals as the size of the number deserves, no float noise.

/**
 * A number rounded for reading: integers as they are; otherwise 2 decimals below 10, 1 below 100, none above,
 * trailing zeros dropped (1.714 → "1.71", 12.345 → "12.3", 170.59 → "171", 0.5 → "0.5"). Not finite → "unknown".
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return 'unknown';
  if (Number.isInteger(value)) return String(value);
  const size = Math.abs(value);
  const decimals = size < 10 ? 2 : size < 100 ? 1 : 0;
  const rounded = Number(value.toFixed(decimals));
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

/** A value already in percent, for reading: whole numbers from 10 % up, one decimal below ("87%", "2.5%"). */
export function formatPercent(pct: number): string {
  if (!Number.isFinite(pct)) return 'unknown';
  const rounded = Math.abs(pct) >= 10 ? Math.round(pct) : Number(pct.toFixed(1));
  return `${Object.is(rounded, -0) ? 0 : rounded}%`;
}
