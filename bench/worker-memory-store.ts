// The Worker entry with the memory store in place of D1, for npm run bench:workers: the same app, Durable Object and
// core, so the workerd process's CPU per request is the Worker's own (plus wrangler's local proxy), without local D1's
// SQLite (which on Cloudflare runs elsewhere and is not billed as Worker CPU).
import worker, { HostWriter } from '../src/server/worker.ts';
import { setWorkerSeams } from '../src/server/worker-service.ts';
import { createMemoryStore } from '../src/store/memory/memory-store.ts';

setWorkerSeams({ store: createMemoryStore() });

export { HostWriter };
export default worker;
