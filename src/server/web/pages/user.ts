// One person's page (/ui/users/:user): their containers now, alerts, GPU-equivalents against quota, fair share, usage chart.
import { html, raw } from 'hono/html';
import type { UserModel } from '../models/users.ts';
import { USAGE_RANGES, USAGE_RANGE_WORDS, type UsageRange } from '../../../usage/ranges.ts';
import { alertTable } from './alert-table.ts';
import { fairShareList } from './fair-share.ts';
import { badge, duration, gpuEq, heldOfQuota, hostLink, memory, notLiveNote, percent, type Html } from './parts.ts';


/** The usage chart section: range links (the current one marked), then the chart or why there is none. */
function chartSection(user: string, range: UsageRange, chartSvg: string | null): Html {
  const links = USAGE_RANGES.map((r) => (r === range
    ? html`<li><a href="?range=${r}" aria-current="page"><strong>${USAGE_RANGE_WORDS[r]}</strong></a></li>`
    : html`<li><a href="?range=${r}">${USAGE_RANGE_WORDS[r]}</a></li>`));
  // chartSvg comes from our own SVG renderer (src/server/web/usage-chart.ts), which escapes every text it writes;
  // it is the only value on these pages inserted with raw(). User data never reaches raw() any other way.
  const chart = chartSvg === null ? html`<p>Usage history is not recorded yet.</p>` : html`<figure>${raw(chartSvg)}<figcaption>GPU-equivalents held by ${user}, over ${USAGE_RANGE_WORDS[range]}</figcaption></figure>`;
  return html`<section aria-labelledby="u-usage"><h2 id="u-usage">Usage over time</h2>
<nav aria-label="Chart range"><ul>${links}</ul></nav>
${chart}</section>`;
}

/** A person's page body; `chartSvg` null: no usage history (yet). */
export function renderUser(m: UserModel, range: UsageRange, chartSvg: string | null): Html {
  const s = m.summary;
  return html`<h1>${s.user}</h1>
${m.live ? '' : notLiveNote()}
<section aria-labelledby="u-now"><h2 id="u-now">Now</h2>
<dl><dt>GPU-equivalents held (of quota)</dt><dd>${heldOfQuota(s.gpuEquivalents, s.quota, s.overQuota)}</dd>
<dt>Fair share</dt><dd>${fairShareList(s.fairShare)}</dd>
<dt>Alerts</dt><dd>${s.firingAlerts} firing, ${s.pendingAlerts} pending</dd></dl></section>
<section aria-labelledby="u-containers"><h2 id="u-containers">Containers</h2>
${m.rows === null ? html`<p>Not known on this runtime.</p>` : m.rows.length === 0 ? html`<p>${s.user} holds and uses no GPU now.</p>` : html`<table><caption>What ${s.user} holds or uses now</caption>
<thead><tr><th scope="col">Container</th><th scope="col">Host</th><th scope="col">GPUs</th><th scope="col">GPU-equivalents</th><th scope="col">Memory</th><th scope="col">Utilisation</th><th scope="col">Idle for</th></tr></thead>
<tbody>${m.rows.map((r) => html`<tr><th scope="row">${r.container === null ? html`${badge('untracked', 'warn')} host processes` : r.container}</th><td>${hostLink(r.host)}</td><td>${r.gpus.join(', ') || '—'}</td>
<td>${gpuEq(r.gpuEquivalents)}</td><td>${memory(r.memoryMiB)}</td><td>${percent(r.utilizationPct, 'not reported')}</td><td>${r.container === null ? 'not tracked' : duration(r.idleS)}</td></tr>`)}</tbody></table>`}
</section>
<section aria-labelledby="u-alerts"><h2 id="u-alerts">Alerts</h2>
${alertTable(m.alerts, `Firing and pending alerts about ${s.user}`, m.now, `No alert about ${s.user} is firing or pending.`)}</section>
${chartSection(s.user, range, chartSvg)}`;
}
