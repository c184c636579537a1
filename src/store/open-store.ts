import { createMemoryStore } from './memory/memory-store.ts';
import type { RetentionOptions } from './memory/snapshot-retention.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

/** An example SQLite spec for messages (serve's default store is in the state folder: see src/state-dir.ts). */
export const DEFAULT_STORE_SPEC = './data/gpuwarden.sqlite';

/** The spec that selects the in-memory store (state lost on exit: tests, `rules test`, demos). */
export const MEMORY_STORE_SPEC = 'memory:';

/**
 * Opens the store a spec names (Node only): `memory:` gives the in-memory store, anything else is a SQLite file
 * path (parent folders created, schema migrated). Throws a plain sentence for an empty spec.
 */
export function openStore(spec: string, options: RetentionOptions = {}): Store {
  if (spec.trim() === '') throw new Error(`The store spec is empty: give a SQLite file path (such as ${DEFAULT_STORE_SPEC}) or ${MEMORY_STORE_SPEC}.`);
  if (spec === MEMORY_STORE_SPEC) return createMemoryStore(options);
  return openSqliteStore(spec, options);
}
