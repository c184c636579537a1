// Small pieces every page uses: times, quantities, states and notes, all escaped by hono/html.
import { html } from 'hono/html';
import { formatDurationSeconds } from '../../../format/duration-words.ts';
import { formatNumber, formatPercent } from '../../../format/human-number.ts';
import { formatMiB } from '../../../format/memory-words.ts';
import { formatDistance, formatUtcMinute } from '../../../format/time-words.ts';

/** What html`` returns: escaped HTML (a promise only when a part was one; ours never are). */
export type Html = ReturnType<typeof html>;

/** How far `iso` lies from `now` in words: `5 min ago`, `in 2 h`, `just now`; the text itself when not a time. */
export function relativeWords(iso: string, now: string): string {
  const ms = Date.parse(iso);
  const nowMs = Date.parse(now);
  return Number.isNaN(ms) || Number.isNaN(nowMs) ? iso : formatDistance(ms, nowMs, 'just now');
}

/** A time relative to `now` ("5 min ago") in a `<time>` whose datetime and title carry the absolute UTC time; `never` for null. */
export function timeAgo(iso: string | null, now: string): Html {
  if (iso === null) return html`never`;
  return html`<time datetime="${iso}" title="${formatUtcMinute(iso)}">${relativeWords(iso, now)}</time>`;
}

/** A time as its UTC minute in a `<time>` ("Fri 2026-12-04 17:00 UTC"), with how far from `now` in brackets. */
export function timeAt(iso: string, now: string): Html {
  return html`<time datetime="${iso}" title="${formatUtcMinute(iso)}">${formatUtcMinute(iso)}</time> (${relativeWords(iso, now)})`;
}

/** GPU-equivalents for reading ("0.43", "2"). */
export function gpuEq(n: number | null): string {
  return n === null ? 'unknown' : formatNumber(n);
}

/** Memory in MiB for reading ("512 MiB", "7.31 GiB"). */
export function memory(mib: number | null): string {
  return formatMiB(mib);
}

/** Used of total memory ("7.31 GiB of 79.6 GiB"). */
export function memoryOf(usedMiB: number | null, totalMiB: number | null): string {
  return totalMiB === null ? formatMiB(usedMiB) : `${formatMiB(usedMiB)} of ${formatMiB(totalMiB)}`;
}

/** A percentage for reading, or the reason it is missing. */
export function percent(pct: number | null, missing = 'unknown'): string {
  return pct === null ? missing : formatPercent(pct);
}

/** A duration in seconds for reading ("1 h 5 min"), or `unknown`. */
export function duration(seconds: number | null): string {
  return seconds === null ? 'unknown' : formatDurationSeconds(seconds);
}

/** A state in words inside a styled span: the word carries the meaning, the colour only repeats it. */
export function badge(word: string, tone: 'bad' | 'warn' | 'ok' | 'quiet'): Html {
  return html`<span class="badge ${tone}">${word}</span>`;
}

/** GPU-equivalents held against a quota: `3 of 2 (over quota)`, `1 of 2`, `1 (no quota)`. */
export function heldOfQuota(held: number | null, quota: number | null, over: boolean): Html {
  if (held === null) return html`not known here`;
  if (quota === null) return html`${gpuEq(held)} (no quota)`;
  return over ? html`${gpuEq(held)} of ${gpuEq(quota)} ${badge('over quota', 'bad')}` : html`${gpuEq(held)} of ${gpuEq(quota)}`;
}

/** The note a page shows in place of live detail on a runtime that keeps no snapshots (Workers). */
export function notLiveNote(): Html {
  return html`<p class="note" role="note">Live per-GPU detail is not available on this runtime: on Cloudflare Workers no single process sees every host's newest snapshot. Hosts, alerts and fair share come from the store.</p>`;
}

/** A link to a person's page. */
export function userLink(user: string | null): Html {
  return user === null ? html`<em>owner unknown</em>` : html`<a href="/ui/users/${encodeURIComponent(user)}">${user}</a>`;
}

/** A link to a host's page. */
export function hostLink(host: string): Html {
  return html`<a href="/ui/hosts/${encodeURIComponent(host)}">${host}</a>`;
}
