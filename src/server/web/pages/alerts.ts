// The alerts page (/ui/alerts): firing and pending alerts with their evidence, silences in force, enforcement actions.
import { html } from 'hono/html';
import type { ActionView } from '../models/alert-view.ts';
import type { AlertsModel } from '../models/alerts.ts';
import { alertTable } from './alert-table.ts';
import { badge, hostLink, timeAgo, timeAt, type Html, userLink } from './parts.ts';

/** An action's state in words, toned by what it means. */
function actionState(state: string): Html {
  if (state === 'done') return badge('done', 'ok');
  if (state === 'scheduled' || state === 'awaiting-approval') return badge(state === 'scheduled' ? 'scheduled' : 'awaiting approval', 'warn');
  if (state === 'failed') return badge('failed', 'bad');
  return badge(state, 'quiet');
}

function actionRow(a: ActionView, now: string): Html {
  const result = a.result === null
    ? html`not before ${timeAt(a.notBefore, now)}; expires ${timeAgo(a.expiresAt, now)}`
    : html`${a.result.detail} (${timeAgo(a.result.at, now)})`;
  return html`<tr><th scope="row">${a.type} ${a.target}</th><td>${actionState(a.state)}${a.approvedBy === null ? '' : html`<br>approved by ${a.approvedBy}`}</td>
<td>${hostLink(a.host)}</td><td>${a.user === null ? '—' : userLink(a.user)}</td><td>${a.summary}<br><small>${a.rule}</small></td><td>${timeAgo(a.createdAt, now)}</td><td>${result}</td></tr>`;
}

/** The alerts page's body. */
export function renderAlerts(m: AlertsModel): Html {
  return html`<h1>Alerts</h1>
<section aria-labelledby="a-firing"><h2 id="a-firing">Firing (${m.firing.length})</h2>
${alertTable(m.firing, 'Firing alerts, longest first', m.now, 'No alert is firing.')}</section>
<section aria-labelledby="a-pending"><h2 id="a-pending">Pending (${m.pending.length})</h2>
<p>Pending: the condition holds, but not yet for as long as the rule's <code>for</code>.</p>
${alertTable(m.pending, 'Pending alerts, longest first', m.now, 'No alert is pending.')}</section>
<section aria-labelledby="a-silences"><h2 id="a-silences">Silences in force (${m.silences.length})</h2>
${m.silences.length === 0 ? html`<p>No silence is in force.</p>` : html`<table><caption>Silences in force, ending soonest first</caption>
<thead><tr><th scope="col">Silence</th><th scope="col">Matches</th><th scope="col">By</th><th scope="col">Comment</th><th scope="col">Started</th><th scope="col">Ends</th></tr></thead>
<tbody>${m.silences.map((s) => html`<tr><th scope="row">${s.id}</th><td>${s.matchers.map((x, i) => html`${i === 0 ? '' : html`<br>`}<code>${x}</code>`)}</td><td>${s.createdBy}</td><td>${s.comment}</td><td>${timeAgo(s.startsAt, m.now)}</td><td>${timeAt(s.endsAt, m.now)}</td></tr>`)}</tbody></table>`}</section>
<section aria-labelledby="a-actions"><h2 id="a-actions">Enforcement actions (${m.actions.length})</h2>
${m.actions.length === 0 ? html`<p>No enforcement action has been planned.</p>` : html`<table><caption>Enforcement actions, newest first</caption>
<thead><tr><th scope="col">Action</th><th scope="col">State</th><th scope="col">Host</th><th scope="col">Person</th><th scope="col">Why</th><th scope="col">Planned</th><th scope="col">Outcome</th></tr></thead>
<tbody>${m.actions.map((a) => actionRow(a, m.now))}</tbody></table>`}</section>`;
}
