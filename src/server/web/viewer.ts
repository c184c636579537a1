// Who is looking at the web view: an admin (every page) or one person (their own page only).

/** The signed-in viewer of a web page: an admin sees everything; a user sees only their own containers, alerts and usage. */
export type Viewer = { kind: 'admin'; name: string } | { kind: 'user'; name: string };

/** Whether `viewer` may see the page of `user`: admins any, a user only their own. */
export function maySeeUser(viewer: Viewer, user: string): boolean {
  return viewer.kind === 'admin' || viewer.name === user;
}
