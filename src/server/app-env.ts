import type { Principal } from './auth.ts';
import type { Viewer } from './web/viewer.ts';

/** What an error reply said (`{error, message}`), kept on the context for the access log. */
export interface ReplyProblem {
  code: string;
  message: string;
}

/** Hono typing shared by the app and its routes: the authenticated principal, the web view's signed-in viewer, the request id and the error reply ride on the context. */
export interface AppEnv {
  /** `viewer` and `csrfToken` (the signed-in session's, for the forms of a page) are set by the web view's requireViewer. */
  Variables: { principal: Principal; requestId: string; problem: ReplyProblem; viewer: Viewer; csrfToken: string };
}
