import type { D1Database } from '@cloudflare/workers-types/index.ts';
import { openD1Store } from '../store/d1/d1-store.ts';
import type { Store } from '../store/store.ts';
import type { WorkerEnv } from './worker-env.ts';

/** Thrown when the Worker has no D1 binding named DB; the Worker answers 503 with this message. */
export const D1_BINDING_MISSING = 'the DB binding (D1) is missing: add [[d1_databases]] binding = "DB" to wrangler.toml';

function isD1Database(value: unknown): value is D1Database {
  return typeof value === 'object' && value !== null && typeof (value as { prepare?: unknown }).prepare === 'function' && typeof (value as { batch?: unknown }).batch === 'function';
}

/** The Worker's store: the D1 store over the `DB` binding (migrated with `wrangler d1 migrations apply DB`). */
export function openWorkerStore(env: WorkerEnv): Store {
  if (!isD1Database(env.DB)) throw new Error(D1_BINDING_MISSING);
  return openD1Store(env.DB);
}
