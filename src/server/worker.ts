import type { ExecutionContext, Hono } from 'hono';
import type { ServiceCore } from '../service/core.ts';
import { createStoreOnlyCore } from '../service/store-only-core.ts';
import { createApp } from './app.ts';
import type { AppEnv } from './app-env.ts';
import { authFromEnv, bodyLimitFromEnv, type WorkerEnv } from './worker-env.ts';
import { openWorkerStore } from './worker-store.ts';
import { escapingLog } from '../service/log-text.ts';

/** The parts of a Workers ScheduledController this entry uses. */
export interface ScheduledInfo {
  scheduledTime: number;
}

const log = escapingLog((line: string): void => console.error(line));

/** Store, core and app for one invocation (cheap: nothing is loaded from disk). Throws for a setup problem. */
export function buildWorkerService(env: WorkerEnv): { app: Hono<AppEnv>; core: ServiceCore } {
  const store = openWorkerStore(env);
  // Integrator replaces: the evaluating core, with the rule pack bundled at build time.
  const core = createStoreOnlyCore(store);
  const app = createApp({ store, core, auth: authFromEnv(env), clock: () => new Date(), bodyLimitBytes: bodyLimitFromEnv(env), log });
  return { app, core };
}

/** Workers entry: `fetch` serves the API, `scheduled` (cron) advances time-based alert state. */
const worker = {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let service: ReturnType<typeof buildWorkerService>;
    try {
      service = buildWorkerService(env);
    } catch (err) {
      const message = err instanceof Error ? err.message : 'service setup failed';
      log(`gpuwarden: setup failed: ${message}`);
      return new Response(JSON.stringify({ error: 'unavailable', message }), {
        status: 503,
        headers: { 'content-type': 'application/json' },
      });
    }
    return service.app.fetch(request, env, ctx);
  },

  async scheduled(controller: ScheduledInfo, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const { core } = buildWorkerService(env);
    const tick = core.tick(new Date(controller.scheduledTime));
    ctx.waitUntil(tick);
    await tick;
  },
};

export default worker;
