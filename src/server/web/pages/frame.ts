// A minimal page around a body, so the read-only pages render on their own until the shared layout (layout.ts,
// page({title, viewer, csrfToken, body, nav})) lands; the merge swaps this for it.
import { html, raw } from 'hono/html';
import type { Viewer } from '../viewer.ts';
import type { Html } from './parts.ts';

/** What frame() needs. */
export interface FrameInput {
  title: string;
  viewer: Viewer;
  body: Html;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem;color:#111;background:#fff;line-height:1.4}
a{color:#0645ad}a:focus,a:hover{outline:3px solid #000;outline-offset:2px}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid #555;padding:.25rem .5rem;text-align:left;vertical-align:top}
caption{text-align:left;font-weight:bold;padding:.25rem 0}
.badge{display:inline-block;padding:0 .35rem;border:2px solid currentColor;border-radius:.25rem;font-weight:bold}
.bad{color:#a00000}.warn{color:#7a4a00}.ok{color:#005a00}.quiet{color:#333}
.note{border-left:4px solid #333;padding-left:.5rem}
nav ul{list-style:none;padding:0;display:flex;gap:1rem;flex-wrap:wrap}`;

// STYLE is a constant of this file (no user data), so raw() cannot inject anything.
/** A whole HTML document: `lang="en"`, the title, navigation for the viewer, and the body in `<main>`. */
export function frame(input: FrameInput): Html {
  const links = input.viewer.kind === 'admin'
    ? [['/ui/', 'Overview'], ['/ui/hosts', 'Hosts'], ['/ui/alerts', 'Alerts'], ['/ui/users', 'Users']]
    : [[`/ui/users/${encodeURIComponent(input.viewer.name)}`, 'My usage']];
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title} · gpuwarden</title><style>${raw(STYLE)}</style></head>
<body><header><nav aria-label="Main"><ul>${links.map(([href, text]) => html`<li><a href="${href}">${text}</a></li>`)}</ul></nav>
<p>Signed in as ${input.viewer.name} (${input.viewer.kind}).</p></header>
<main>${input.body}</main></body></html>`;
}
