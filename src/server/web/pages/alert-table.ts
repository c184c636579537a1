// The alerts table shared by the alerts, host and user pages: each alert with its evidence.
import { html } from 'hono/html';
import type { AlertView } from '../models/alert-view.ts';
import { badge, hostLink, timeAgo, type Html, userLink } from './parts.ts';

function stateBadge(a: AlertView): Html {
  return a.state === 'firing' ? badge('firing', 'bad') : badge('pending', 'warn');
}

function evidence(a: AlertView, now: string): Html {
  return html`${a.description === '' ? '' : html`<p>${a.description}</p>`}
<ul>${a.labels.map(([k, v]) => html`<li>${k}: ${v}</li>`)}</ul>
${a.stale === null ? '' : html`<p>${badge('unconfirmed', 'warn')} ${a.stale.sources.join(', ')} unreadable since ${timeAgo(a.stale.since, now)}</p>`}
${a.keepFiringSince === null ? '' : html`<p>Condition cleared ${timeAgo(a.keepFiringSince, now)}; kept firing for a while.</p>`}
${a.silencedBy === null ? '' : html`<p>${badge('silenced', 'quiet')} by silence ${a.silencedBy}</p>`}`;
}

/** A table of alerts with caption `caption`; a sentence instead when there are none. */
export function alertTable(alerts: readonly AlertView[], caption: string, now: string, none: string): Html {
  if (alerts.length === 0) return html`<p>${none}</p>`;
  return html`<table><caption>${caption}</caption>
<thead><tr><th scope="col">Alert</th><th scope="col">State</th><th scope="col">Severity</th><th scope="col">Host</th><th scope="col">Person</th><th scope="col">Active since</th><th scope="col">Evidence</th></tr></thead>
<tbody>${alerts.map((a) => html`<tr><th scope="row">${a.summary}<br><small>${a.rule}${a.stage === null ? '' : html` (stage ${a.stage})`}</small></th>
<td>${stateBadge(a)}${a.firedAt === null ? '' : html`<br>fired ${timeAgo(a.firedAt, now)}`}</td><td>${a.severity}</td><td>${hostLink(a.host)}</td><td>${a.user === null ? '—' : userLink(a.user)}</td>
<td>${timeAgo(a.activeSince, now)}</td><td>${evidence(a, now)}</td></tr>`)}</tbody></table>`;
}
