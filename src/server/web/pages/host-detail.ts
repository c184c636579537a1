// The host page (/ui/hosts/:host): per GPU and MIG instance, who uses it; untracked processes; the host's alerts.
import { html } from 'hono/html';
import type { GpuModel, HostDetailModel, SlotUse } from '../models/host-detail.ts';
import { alertTable } from './alert-table.ts';
import { probeHealth, sourceErrorsCell } from './hosts.ts';
import { badge, duration, gpuEq, memory, memoryOf, notLiveNote, percent, timeAgo, type Html, userLink } from './parts.ts';

function useCells(u: SlotUse): Html {
  return html`<td>${u.untracked ? html`${badge('untracked', 'warn')} host processes` : u.container}</td><td>${userLink(u.user)}</td>
<td>${memory(u.memoryMiB)}</td><td>${percent(u.utilizationPct, 'not reported (MIG)')}</td><td>${u.untracked ? 'not tracked' : duration(u.idleS)}</td><td>${gpuEq(u.gpuEquivalents)}</td>`;
}

function gpuTable(g: GpuModel): Html {
  const util = g.migEnabled ? '' : html`, ${percent(g.utilizationPct)} busy`;
  const caption = html`GPU ${g.index}: ${g.name ?? 'unknown model'}${g.migEnabled ? ' (MIG on)' : ''}, ${memoryOf(g.memoryUsedMiB, g.memoryTotalMiB)} used${util}${g.temperatureC === null ? '' : html`, ${g.temperatureC} °C`}`;
  return html`<table><caption>${caption}</caption>
<thead><tr><th scope="col">${g.migEnabled ? 'MIG instance' : 'GPU'}</th><th scope="col">Container</th><th scope="col">Person</th><th scope="col">Memory</th><th scope="col">Utilisation</th><th scope="col">Idle for</th><th scope="col">GPU-equivalents held</th></tr></thead>
<tbody>${g.slots.map((sl) => {
    const head = html`${sl.label}${sl.profile === null ? '' : html` (${sl.profile})`}<br><small>${memoryOf(sl.memoryUsedMiB, sl.memoryTotalMiB)}</small>`;
    if (sl.uses.length === 0) return html`<tr><th scope="row">${head}</th><td colspan="6">free</td></tr>`;
    return sl.uses.map((u, i) => html`<tr>${i === 0 ? html`<th scope="row" rowspan="${sl.uses.length}">${head}</th>` : ''}${useCells(u)}</tr>`);
  })}</tbody></table>`;
}

/** The host page's body. */
export function renderHostDetail(m: HostDetailModel): Html {
  return html`<h1>Host ${m.host}</h1>
<p>Probe ${probeHealth(m.up)}, last seen ${timeAgo(m.lastSeenAt, m.now)}.${m.snapshotTakenAt === null ? '' : html` Showing the snapshot taken ${timeAgo(m.snapshotTakenAt, m.now)}.`}</p>
${m.live ? '' : notLiveNote()}
<section aria-labelledby="h-gpus"><h2 id="h-gpus">GPUs and who uses them</h2>
${m.gpus === null ? html`<p>No snapshot of this host is kept here${m.live ? ' yet (none since the service started)' : ''}.</p>` : html`
<p>Source errors: ${sourceErrorsCell(m.sourceErrors)}</p>
<p>${m.untrackedProcesses === 0 ? 'No GPU process runs outside a container.' : html`${badge('untracked', 'warn')} ${m.untrackedProcesses} GPU ${m.untrackedProcesses === 1 ? 'process runs' : 'processes run'} outside any container: nothing tracks or limits ${m.untrackedProcesses === 1 ? 'it' : 'them'}.`}</p>
${m.gpus.length === 0 ? html`<p>The snapshot lists no GPU.</p>` : m.gpus.map(gpuTable)}`}
</section>
<section aria-labelledby="h-alerts"><h2 id="h-alerts">Alerts on this host</h2>
${alertTable(m.alerts, `Firing and pending alerts on ${m.host}`, m.now, 'No alert is firing or pending on this host.')}
</section>`;
}
