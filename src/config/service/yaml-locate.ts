import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

type Range = readonly [number, number, number];

function keyText(key: unknown): string | null {
  return isScalar(key) ? String(key.value) : null;
}

/**
 * The 1-based line of the deepest node of `path` that exists in the document: a map entry's key line, a list
 * item's first line. With `key`, the line of that key inside the map at `path` (for unknown keys). Null for an
 * empty document.
 */
export function lineOf(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[], key?: string): number | null {
  let node: unknown = doc.contents;
  let range: Range | null | undefined = (doc.contents as Node | null)?.range;
  const segments = key === undefined ? path : [...path, key];
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(segment));
      if (pair === undefined) break;
      range = (pair.key as Node).range ?? range;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as Node | undefined;
      if (item === undefined) break;
      range = item.range ?? range;
      node = item;
    } else {
      break;
    }
  }
  return range === null || range === undefined ? null : lineCounter.linePos(range[0]).line;
}

/** Paths (and lines) of every `__proto__` key: zod would drop it silently, so the loader reports it instead. */
export function reservedKeys(doc: Document, lineCounter: LineCounter): Array<{ path: string[]; line: number | null }> {
  const found: Array<{ path: string[]; line: number | null }> = [];
  const walk = (node: unknown, path: string[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = keyText(pair.key);
        if (k === null) continue;
        const range = (pair.key as Node).range;
        if (k === '__proto__') found.push({ path: [...path, k], line: range ? lineCounter.linePos(range[0]).line : null });
        else walk(pair.value, [...path, k]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, String(i)]));
    }
  };
  walk(doc.contents, []);
  return found;
}
