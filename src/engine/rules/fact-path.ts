/** A `path` split once into property names: `$.a.b` → ['a', 'b'], `$` → []. */
export function parseFactPath(path: string): readonly string[] {
  return path === '$' ? [] : path.slice(2).split('.');
}

/**
 * Walk own properties of an object fact: the pathResolver both our compiled rules and the json-rules-engine
 * reference use (never jsonpath-plus). A missing step, or a step into a non-object, gives undefined.
 */
export function walkFactPath(value: unknown, steps: readonly string[]): unknown {
  let current = value;
  for (const step of steps) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, step)) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/** json-rules-engine `pathResolver` signature over walkFactPath. */
export function resolveFactPath(value: object, path: string): unknown {
  return walkFactPath(value, parseFactPath(path));
}
