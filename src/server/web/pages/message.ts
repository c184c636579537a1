// A plain page saying one thing: not allowed (403), not found (404), a bad query (400).
import { html } from 'hono/html';
import type { Html } from './parts.ts';

/** A heading and one sentence, with an optional link onward. */
export function renderMessage(heading: string, sentence: string, link?: { href: string; text: string }): Html {
  return html`<h1>${heading}</h1><p>${sentence}</p>${link === undefined ? '' : html`<p><a href="${link.href}">${link.text}</a></p>`}`;
}
