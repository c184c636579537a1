import type { Store } from '../store/store.ts';
import type { WorkerEnv } from './worker-env.ts';

/** Thrown until the D1 store exists; the Worker answers 503 with this message. */
export const D1_NOT_IMPLEMENTED = 'D1 store not implemented yet (the Workers deployment needs the D1 store of a later issue)';

/** The Worker's store over the `DB` binding. Integrator replaces with the D1 store. */
export function openWorkerStore(_env: WorkerEnv): Store {
  throw new Error(D1_NOT_IMPLEMENTED);
}
