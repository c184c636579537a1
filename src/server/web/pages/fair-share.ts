// A person's fair-share standing in words.
import { html } from 'hono/html';
import { formatNumber } from '../../../format/human-number.ts';
import type { FairShareStanding } from '../models/fair-share.ts';
import { badge, type Html } from './parts.ts';

/** One host's standing: `ds01: 12.3 decayed GPU-hours, 3× an equal share (4.1), above it` (the rule decides what is too much). */
export function fairShareText(f: FairShareStanding): Html {
  const used = html`${f.host}: ${formatNumber(f.decayedGpuHours)} decayed GPU-hours`;
  if (f.fairShareGpuHours === null || f.ratio === null) return html`${used} (no fair share: nobody used GPUs there recently)`;
  const where = f.ratio > 1 ? badge('above an equal share', 'warn') : badge('within an equal share', 'ok');
  return html`${used}, ${formatNumber(f.ratio)}× an equal share (${formatNumber(f.fairShareGpuHours)}) ${where}`;
}

/** Every host's standing as a list, or a sentence when there is none. */
export function fairShareList(standings: readonly FairShareStanding[]): Html {
  if (standings.length === 0) return html`no recent GPU use`;
  return html`<ul>${standings.map((f) => html`<li>${fairShareText(f)}</li>`)}</ul>`;
}
