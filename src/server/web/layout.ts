// The web view's page frame: header navigation, who is signed in, the sign-out form, a skip link and one small
// inline stylesheet. Server-rendered through hono/html (every value escaped), no JavaScript.
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Viewer } from './viewer.ts';

/** What hono/html renders: a string marked escaped, or its promise. */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The header section a page belongs to (marked aria-current); null for none. */
export type NavSection = 'overview' | 'hosts' | 'alerts' | 'users' | 'me' | null;

/** What page() needs: the title, the signed-in viewer and their session's CSRF token (null on the sign-in page), the body, the section. */
export interface PageInput {
  title: string;
  viewer: Viewer | null;
  csrfToken: string | null;
  body: Html;
  nav?: NavSection;
  /** The body starts with its own `<h1>` (the read-only pages): the frame then adds none. */
  ownHeading?: boolean;
}

// High contrast (text 16:1, links and buttons 7:1 or more), a focus outline visible on the dark header and the white
// page alike, and nothing that needs a script. Trusted text of our own: raw() is safe here, never with user data.
const STYLESHEET = raw(`
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;background:#fff}
a{color:#0b4fb3}
a:visited{color:#5a2a9c}
:focus-visible{outline:3px solid #ffbf47;outline-offset:2px;box-shadow:0 0 0 5px #111}
.skip{position:absolute;left:-9999px;top:0;background:#ffbf47;color:#111;padding:.5rem 1rem;font-weight:700}
.skip:focus{left:0;z-index:10}
header{background:#16202e;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center}
header a,header a:visited{color:#fff}
header .brand{font-weight:700;font-size:1.1rem;text-decoration:none}
header nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:1rem}
header nav a[aria-current="page"]{text-decoration-thickness:3px;text-underline-offset:4px}
header .who{margin-left:auto;display:flex;gap:.75rem;align-items:center}
button,input[type=submit]{font:inherit;padding:.35rem .9rem;border:2px solid #111;background:#fff;color:#111;border-radius:3px;cursor:pointer}
header button{border-color:#fff;background:#16202e;color:#fff}
main{padding:1rem;max-width:72rem}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
input[type=password],input[type=text]{font:inherit;padding:.4rem;border:2px solid #111;border-radius:3px;width:min(32rem,100%)}
.message{border-left:6px solid #b00020;background:#fdecee;padding:.5rem 1rem;margin:1rem 0}
.note{color:#333}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border:1px solid #767676;padding:.25rem .5rem;text-align:left;vertical-align:top}
caption{text-align:left;font-weight:700;padding:.25rem 0}
.badge{display:inline-block;padding:0 .35rem;border:2px solid currentColor;border-radius:.25rem;font-weight:700}
.bad{color:#a00000}.warn{color:#7a4a00}.ok{color:#005a00}.quiet{color:#333}
.note{border-left:4px solid #333;padding-left:.5rem}
main nav ul{list-style:none;padding:0;display:flex;gap:1rem;flex-wrap:wrap}
`);

function navLink(href: string, label: string, section: NavSection, current: NavSection): Html {
  return html`<li><a href="${href}"${section === current ? raw(' aria-current="page"') : ''}>${label}</a></li>`;
}

/** The header links a viewer may follow: every section for an admin, only their own page for a user. */
function navItems(viewer: Viewer, current: NavSection): Html {
  if (viewer.kind === 'user') return navLink(userPath(viewer.name), 'My page', 'me', current);
  return html`${navLink('/ui/', 'Overview', 'overview', current)}${navLink('/ui/hosts', 'Hosts', 'hosts', current)}${navLink('/ui/alerts', 'Alerts', 'alerts', current)}${navLink('/ui/users', 'Users', 'users', current)}`;
}

/** The path of a user's page. */
export function userPath(name: string): string {
  return `/ui/users/${encodeURIComponent(name)}`;
}

/** A whole HTML page in the web view's frame. */
export function page(input: PageInput): Html {
  const { viewer, csrfToken } = input;
  const who =
    viewer === null
      ? ''
      : html`<div class="who"><span>Signed in as <strong>${viewer.name}</strong>${viewer.kind === 'admin' ? ' (admin)' : ''}</span>
<form method="post" action="/ui/logout"><input type="hidden" name="csrf" value="${csrfToken ?? ''}"><button type="submit">Sign out</button></form></div>`;
  const nav = viewer === null ? '' : html`<nav aria-label="Main"><ul>${navItems(viewer, input.nav ?? null)}</ul></nav>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title} · gpuwarden</title>
<style>${STYLESHEET}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header>
<a class="brand" href="/ui/">gpuwarden</a>
${nav}
${who}
</header>
<main id="main" tabindex="-1">
${input.ownHeading === true ? '' : html`<h1>${input.title}</h1>`}
${input.body}
</main>
</body>
</html>`;
}

/** A short page that says why something cannot be shown (403, 404), in the frame of whoever is signed in. */
export function messagePage(input: { title: string; message: string; viewer: Viewer | null; csrfToken: string | null }): Html {
  return page({ title: input.title, viewer: input.viewer, csrfToken: input.csrfToken, body: html`<p class="message" role="alert">${input.message}</p>` });
}
