// Module hooks of scripts/trace-packages.mjs: record each resolved module inside node_modules.
import { appendFileSync } from 'node:fs';
import { packageOf } from './trace-packages.mjs';

let out = '';

/** Receives the output file from register(). */
export function initialize(data) {
  out = data.out;
}

/** Passes resolution through unchanged and notes the package of what it resolved to. */
export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  const name = packageOf(result.url);
  if (name !== null) appendFileSync(out, `${name}\n`);
  return result;
}
