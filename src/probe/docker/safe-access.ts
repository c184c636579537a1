/** The value as a plain (non-array) object, or null. */
export function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** An own property of a value that may not be an object at all; undefined when there is none. */
export function field(value: unknown, key: string): unknown {
  const record = asRecord(value);
  return record !== null && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The value when it is a string, else null. */
export function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** A string-valued label of a container that may be malformed; null when missing or not a string. */
export function labelOf(container: unknown, key: string): string | null {
  return stringOrNull(field(field(container, 'labels'), key));
}

/** The label keys of a container that may be malformed (only string-valued labels count). */
export function labelKeysOf(container: unknown): string[] {
  const labels = asRecord(field(container, 'labels'));
  if (labels === null) return [];
  return Object.keys(labels).filter((key) => typeof labels[key] === 'string');
}

/** A string field of a container that may be malformed; null when missing or not a string. */
export function stringFieldOf(container: unknown, key: string): string | null {
  return stringOrNull(field(container, key));
}

/** The elements of an array field, or [] when the field is not an array. */
export function arrayFieldOf(container: unknown, key: string): unknown[] {
  const value = field(container, key);
  return Array.isArray(value) ? value : [];
}
