/**
 * Safe navigation over the loosely typed object tree that fast-xml-parser returns.
 * Every helper accepts `unknown` and degrades to null / [] instead of throwing.
 */

/** A parsed XML element with child elements or attributes. */
export type XmlRecord = Record<string, unknown>;

const PREDEFINED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const ENTITY_REFERENCE = /&(lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});/g;

/** True for a plain object produced by the parser (not an array, not a string). */
export function isXmlRecord(value: unknown): value is XmlRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Decodes the five predefined XML entities and numeric character references; DOCTYPE entities are never expanded. */
export function decodeXmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY_REFERENCE, (whole, name: string) => {
    if (!name.startsWith('#')) return PREDEFINED_ENTITIES[name] ?? whole;
    const codePoint = name.startsWith('#x') ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
    if (!Number.isInteger(codePoint) || codePoint < 1 || codePoint > 0x10ffff) return whole;
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) return whole;
    return String.fromCodePoint(codePoint);
  });
}

/** Follows a path of child element names; returns undefined when any step is missing or not an element. */
export function childAt(node: unknown, ...path: string[]): unknown {
  let current: unknown = node;
  for (const name of path) {
    if (!isXmlRecord(current)) return undefined;
    current = current[name];
  }
  return current;
}

/** The decoded, trimmed text of a leaf element (or of `#text` in a mixed element); null when absent or not text. */
export function textAt(node: unknown, ...path: string[]): string | null {
  const value = childAt(node, ...path);
  if (typeof value === 'string') return decodeXmlEntities(value).trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isXmlRecord(value)) {
    const inner = value['#text'];
    if (typeof inner === 'string') return decodeXmlEntities(inner).trim();
  }
  return null;
}

/** The child elements at a path as an array (one element, many, or none). */
export function arrayAt(node: unknown, ...path: string[]): unknown[] {
  const value = childAt(node, ...path);
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
