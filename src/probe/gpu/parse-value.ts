/**
 * Scalar value parsing for nvidia-smi output (XML text nodes and CSV fields).
 * Pure: no I/O, never throws. Unknown or non-numeric values become null, never 0.
 */

/** Units nvidia-smi appends to numeric values (`40960 MiB`, `38 C`, `100.00%`, `9139 KB/s`, `16x`). */
const UNIT_PATTERN = '(?:[KMGT]i?B(?:/s)?|B|C|W|%|[KMG]?Hz|us|ms|s|x)';

const NUMBER_WITH_UNIT = new RegExp(`^(-?\\d+(?:\\.\\d+)?)\\s*${UNIT_PATTERN}?$`);
const INTEGER = /^-?\d+$/;
const PCI_BUS_ID = /^([0-9a-fA-F]{1,8}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\.([0-7])$/;

/** Parses `40960 MiB`, `38 C`, `40.71 W`, `100 %`, `1980 MHz` or a bare number; anything else (N/A, [Not Supported], deprecated, empty) → null. */
export function parseNumberWithUnit(text: unknown): number | null {
  if (typeof text === 'number') return Number.isFinite(text) ? text : null;
  if (typeof text !== 'string') return null;
  const match = NUMBER_WITH_UNIT.exec(text.trim());
  if (match === null || match[1] === undefined) return null;
  const value = Number(match[1]);
  return Number.isFinite(value) ? value : null;
}

/** Parses a bare (optionally signed) decimal integer such as a PID or an instance id; anything else → null. */
export function parseIntOrNull(text: unknown): number | null {
  if (typeof text === 'number') return Number.isSafeInteger(text) ? text : null;
  if (typeof text !== 'string') return null;
  const trimmed = text.trim();
  if (!INTEGER.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) ? value : null;
}

/** Normalises a PCI bus id to the sysfs form `0000:01:00.0` (4-hex lowercase domain, more digits only when the domain needs them); invalid → null. */
export function normalisePciBusId(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  const match = PCI_BUS_ID.exec(text.trim());
  if (match === null) return null;
  const [, domainHex = '', busHex = '', deviceHex = '', fn = ''] = match;
  const domain = Number.parseInt(domainHex, 16).toString(16).padStart(4, '0');
  const bus = busHex.toLowerCase().padStart(2, '0');
  const device = deviceHex.toLowerCase().padStart(2, '0');
  return `${domain}:${bus}:${device}.${fn}`;
}

/** Trims a text value and maps nvidia-smi placeholders (empty, `N/A`, anything wholly in brackets) to null. */
export function cleanText(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'N/A') return null;
  if (trimmed.startsWith('[') && trimmed.endsWith(']')) return null;
  return trimmed;
}
