import { md5Hex } from './md5.ts';

const MAX_LENGTH = 32;

/**
 * DS01's `sanitize_username_for_slice` (scripts/lib/username_utils.py): drop `@domain`, `.` → `_`,
 * any char outside `[A-Za-z0-9_:]` → `_`, collapse and trim `_`; over 32 chars → the first 27
 * (trailing `_` trimmed) + `_` + the first 4 hex of md5(original name). Never throws.
 */
export function sanitiseUsername(name: string): string {
  if (typeof name !== 'string' || name === '') return typeof name === 'string' ? name : '';
  const local = name.split('@')[0] ?? '';
  const sanitised = local
    .replace(/\./g, '_')
    .replace(/[^A-Za-z0-9_:]/gu, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (sanitised.length <= MAX_LENGTH) return sanitised;
  const hash = md5Hex(name).slice(0, 4);
  return `${sanitised.slice(0, 27).replace(/_+$/, '')}_${hash}`;
}
