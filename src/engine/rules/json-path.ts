/** One step into a JSON document: an object key or an array index. */
export type JsonPathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Append one step to a JSONPath: `$.a` + 2 → `$.a[2]`, + `b` → `$.a.b`, + `x y` → `$.a["x y"]`. */
export function appendJsonPath(base: string, segment: JsonPathSegment): string {
  if (typeof segment === 'number') return `${base}[${segment}]`;
  return IDENTIFIER.test(segment) ? `${base}.${segment}` : `${base}[${JSON.stringify(segment)}]`;
}

/** A JSONPath from a base and a list of steps (zod issue paths, for instance). */
export function jsonPathOf(base: string, segments: readonly PropertyKey[]): string {
  let out = base;
  for (const s of segments) out = appendJsonPath(out, typeof s === 'number' ? s : String(s));
  return out;
}

/** A short name for the JSON type of a value, for messages: string, number, boolean, null, array, object. */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** A plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
