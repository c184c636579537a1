// The users page (/ui/users): each person's GPU-equivalents against quota, containers, alerts, fair share.
import { html } from 'hono/html';
import type { UsersModel } from '../models/users.ts';
import { fairShareList } from './fair-share.ts';
import { heldOfQuota, hostLink, notLiveNote, type Html, userLink } from './parts.ts';

/** The users page's body. */
export function renderUsers(m: UsersModel): Html {
  return html`<h1>Users</h1>
${m.live ? '' : notLiveNote()}
<p>Fair share: each person's GPU time, decaying with age, against an equal split of everyone's on that host.</p>
${m.users.length === 0 ? html`<p>Nobody has used a GPU recently.</p>` : html`<table><caption>People, most GPU-equivalents held first</caption>
<thead><tr><th scope="col">Person</th><th scope="col">GPU-equivalents held (of quota)</th><th scope="col">Containers</th><th scope="col">Hosts</th><th scope="col">Alerts</th><th scope="col">Fair share</th></tr></thead>
<tbody>${m.users.map((u) => html`<tr><th scope="row">${userLink(u.user)}</th><td>${heldOfQuota(u.gpuEquivalents, u.quota, u.overQuota)}</td>
<td>${u.containers === null ? 'not known here' : u.containers}</td><td>${u.hosts.length === 0 ? '—' : u.hosts.map((h, i) => html`${i === 0 ? '' : ', '}${hostLink(h)}`)}</td>
<td>${u.firingAlerts} firing, ${u.pendingAlerts} pending</td><td>${fairShareList(u.fairShare)}</td></tr>`)}</tbody></table>`}`;
}
