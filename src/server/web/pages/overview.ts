// The overview page (/ui/): hosts, alerts, who holds most GPUs, what is held idle.
import { html } from 'hono/html';
import { IDLE_HELD_LISTED_AFTER_S, type OverviewModel } from '../models/overview.ts';
import { duration, gpuEq, heldOfQuota, hostLink, notLiveNote, type Html, userLink } from './parts.ts';

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** " (gpu03, gpu07)" with each host linked to its page; nothing for none. */
function named(hosts: readonly string[]): Html | string {
  return hosts.length === 0 ? '' : html` (${hosts.map((h, i) => html`${i > 0 ? ', ' : ''}${hostLink(h)}`)})`;
}

/** The overview's body. */
export function renderOverview(m: OverviewModel): Html {
  const errors = m.hosts.withSourceErrors === null ? html`source errors not known here` : html`${m.hosts.withSourceErrors.length} with source errors${named(m.hosts.withSourceErrors)}`;
  return html`<h1>Overview</h1>
${m.live ? '' : notLiveNote()}
<section aria-labelledby="ov-hosts"><h2 id="ov-hosts">Hosts</h2>
<p>${plural(m.hosts.total, 'host', 'hosts')}: ${m.hosts.silent.length} silent${named(m.hosts.silent)}, ${errors}. <a href="/ui/hosts">All hosts</a></p></section>
<section aria-labelledby="ov-alerts"><h2 id="ov-alerts">Alerts</h2>
<p>${plural(m.alerts.firing, 'alert', 'alerts')} firing, ${m.alerts.pending} pending. <a href="/ui/alerts">All alerts</a></p></section>
<section aria-labelledby="ov-top"><h2 id="ov-top">Who holds most GPUs now</h2>
${m.topUsers === null ? html`<p>Not known on this runtime.</p>` : m.topUsers.length === 0 ? html`<p>Nobody holds a GPU now.</p>` : html`<table><caption>People by GPU-equivalents held now</caption>
<thead><tr><th scope="col">Person</th><th scope="col">GPU-equivalents held (of quota)</th></tr></thead>
<tbody>${m.topUsers.map((u) => html`<tr><th scope="row">${userLink(u.user)}</th><td>${heldOfQuota(u.gpuEquivalents, u.quota, u.quota !== null && u.gpuEquivalents > u.quota + 1e-9)}</td></tr>`)}</tbody></table>`}
</section>
<section aria-labelledby="ov-idle"><h2 id="ov-idle">GPUs held while idle</h2>
${m.idleHeld === null ? html`<p>Not known on this runtime.</p>` : m.idleHeld.length === 0 ? html`<p>No container holds a GPU idle.</p>` : html`<table><caption>Containers holding GPUs idle for ${duration(IDLE_HELD_LISTED_AFTER_S)} or more, longest first</caption>
<thead><tr><th scope="col">Container</th><th scope="col">Host</th><th scope="col">Person</th><th scope="col">GPUs</th><th scope="col">GPU-equivalents</th><th scope="col">Idle for</th></tr></thead>
<tbody>${m.idleHeld.map((r) => html`<tr><th scope="row">${r.container}</th><td>${hostLink(r.host)}</td><td>${userLink(r.user)}</td><td>${r.gpus.join(', ')}</td><td>${gpuEq(r.gpuEquivalents)}</td><td>${duration(r.idleS)}</td></tr>`)}</tbody></table>`}
</section>`;
}
