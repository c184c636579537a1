// Events of the web view's sign-in. None ever holds a token, a session id, a link key or a digest of one.
import type { GwEvent } from './event.ts';

/** How someone signed in: with an admin token on the form, or with a user's sign-in link. */
export type LoginVia = 'token' | 'link';

/** `web.login`: who signed in and how; user set for a user's session (their page), details.by for an admin. */
export function webLoginEvent(at: Date, viewer: { kind: 'admin' | 'user'; name: string }, via: LoginVia, linkCreatedBy?: string): GwEvent {
  const details: Record<string, unknown> = { kind: viewer.kind, via };
  if (viewer.kind === 'admin') details['by'] = `admin:${viewer.name}`;
  if (linkCreatedBy !== undefined) details['linkCreatedBy'] = linkCreatedBy;
  return { id: crypto.randomUUID(), at: at.toISOString(), type: 'web.login', ...(viewer.kind === 'user' ? { user: viewer.name } : {}), details };
}

/** `web.login_failed`: why a sign-in was refused (an unknown token, or a host or scrape token and whose), and how many were left out before it. */
export function webLoginFailedEvent(at: Date, reason: string, leftOut: number): GwEvent {
  return { id: crypto.randomUUID(), at: at.toISOString(), type: 'web.login_failed', details: { reason, leftOut } };
}

/** `web.link_created`: an admin minted a sign-in link for a user, lasting until expiresAt. */
export function webLinkCreatedEvent(at: Date, user: string, by: string, expiresAt: string): GwEvent {
  return { id: crypto.randomUUID(), at: at.toISOString(), type: 'web.link_created', user, details: { by, expiresAt } };
}
