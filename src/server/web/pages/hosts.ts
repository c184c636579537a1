// The hosts page (/ui/hosts): each host's probe health, source errors, GPUs and people.
import { html } from 'hono/html';
import type { HostSummary, HostsModel } from '../models/hosts.ts';
import { badge, duration, hostLink, notLiveNote, timeAgo, type Html, userLink } from './parts.ts';

/** A host's probe health in words: up, or silent (no snapshot within the threshold). */
export function probeHealth(up: boolean): Html {
  return up ? badge('up', 'ok') : badge('silent', 'bad');
}

/** A host's failed collectors, or why they are not known. */
export function sourceErrorsCell(errors: HostSummary['sourceErrors'], disabled: readonly string[] = []): Html {
  if (errors === null) return html`not known here`;
  const off = disabled.length === 0 ? '' : html`<br>not read by choice: ${disabled.join(', ')}`;
  if (errors.length === 0) return html`none${off}`;
  return html`${badge(`${errors.length} failed`, 'bad')}<ul>${errors.map((e) => html`<li>${e.source}: ${e.message}</li>`)}</ul>${off}`;
}

/** The hosts page's body. */
export function renderHosts(m: HostsModel): Html {
  return html`<h1>Hosts</h1>
${m.live ? '' : notLiveNote()}
<p>A host is silent when its probe has sent nothing for ${duration(m.silentAfterMs / 1000)}.</p>
${m.hosts.length === 0 ? html`<p>No host has sent a snapshot yet.</p>` : html`<table><caption>Hosts and their probes</caption>
<thead><tr><th scope="col">Host</th><th scope="col">Probe</th><th scope="col">Last seen</th><th scope="col">Source errors</th><th scope="col">GPUs</th><th scope="col">People on it</th><th scope="col">Alerts</th></tr></thead>
<tbody>${m.hosts.map((h) => html`<tr><th scope="row">${hostLink(h.host)}</th><td>${probeHealth(h.up)}</td><td>${timeAgo(h.lastSeenAt, m.now)}</td>
<td>${sourceErrorsCell(h.sourceErrors, h.disabledSources)}</td>
<td>${h.gpuCount === null ? 'not known here' : html`${h.gpuCount}${h.migInstanceCount === 0 ? '' : html` (${h.migInstanceCount} MIG instances)`}`}</td>
<td>${h.users === null ? 'not known here' : h.users.length === 0 ? 'nobody' : h.users.map((u, i) => html`${i === 0 ? '' : ', '}${userLink(u)}`)}</td>
<td>${h.firingAlerts} firing, ${h.pendingAlerts} pending</td></tr>`)}</tbody></table>`}`;
}
