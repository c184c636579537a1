import type { Principal } from './auth.ts';

/** Hono typing shared by the app and its routes: the authenticated principal rides on the context. */
export interface AppEnv {
  Variables: { principal: Principal };
}
