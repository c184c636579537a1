// Pure: an SVG bar chart of GPU-equivalents held per bucket (in use and idle stacked), for the web view.
import { formatGpuHours } from '../../format/gpu-hours.ts';
import { escapeHtml } from '../../notify/render/text.ts';
import { formatNumber } from '../../format/human-number.ts';
import type { UsageBucket } from '../../usage/history.ts';

/** What renderUsageChart draws: the buckets (summed per start), the window, the bucket width, the quota and a title. */
export interface UsageChartInput {
  buckets: readonly UsageBucket[];
  from: Date;
  to: Date;
  stepS: number;
  /** The user's quota in GPU-equivalents, drawn as a dashed line; null: none drawn (unlimited, or several users). */
  quotaGpuEquivalents: number | null;
  /** Who or what the chart is of ("alice", "alice on ds01"): the start of its title and summary. */
  title: string;
}

const WIDTH = 720;
const HEIGHT = 260;
const PLOT = { left: 56, right: 12, top: 30, bottom: 40 };
const PLOT_W = WIDTH - PLOT.left - PLOT.right;
const PLOT_H = HEIGHT - PLOT.top - PLOT.bottom;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const STYLE = [
  '.uc-axis{stroke:#000;stroke-width:1}',
  '.uc-grid{stroke:#767676;stroke-width:0.5}',
  '.uc-text{font:12px system-ui,sans-serif;fill:#000}',
  '.uc-active{fill:#0b4f9c}',
  '.uc-quota{stroke:#b00020;stroke-width:2;stroke-dasharray:6 4}',
].join('');

/** A coordinate with at most 2 decimals. */
const px = (n: number): string => String(Math.round(n * 100) / 100);

/** The smallest "nice" number (1, 2, 2.5, 5 × 10^k) at or above v. */
function niceCeil(v: number): number {
  const mag = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * mag >= v - 1e-12) return m * mag;
  return 10 * mag;
}

/** The period in words: "the last 24 hours" for the usual windows, else from–to in UTC. */
function periodWords(from: Date, to: Date): string {
  const spanMs = to.getTime() - from.getTime();
  if (spanMs === DAY_MS) return 'the last 24 hours';
  if (spanMs % DAY_MS === 0) return `the last ${spanMs / DAY_MS} days`;
  return `${from.toISOString().slice(0, 16).replace('T', ' ')} to ${to.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** X-axis ticks (UTC) of a window: every 3 hours as HH:MM up to 2 days, daily "Mon 23" up to 10 days, else every 5th day "23 Nov". */
export function timeTicks(from: Date, to: Date): { at: Date; label: string }[] {
  const fromMs = from.getTime();
  const toMs = to.getTime();
  const span = toMs - fromMs;
  const every = span <= 2 * DAY_MS ? 3 * HOUR_MS : span <= 10 * DAY_MS ? DAY_MS : 5 * DAY_MS;
  const label = (d: Date): string => {
    if (every < DAY_MS) return d.toISOString().slice(11, 16);
    if (every === DAY_MS) return `${WEEKDAYS[d.getUTCDay()] ?? ''} ${d.getUTCDate()}`;
    return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] ?? ''}`;
  };
  const out: { at: Date; label: string }[] = [];
  for (let ms = Math.ceil(fromMs / every) * every; ms <= toMs; ms += every) out.push({ at: new Date(ms), label: label(new Date(ms)) });
  return out;
}

/** GPU-equivalents held (and idle) per bucket slot of the window, summed over hosts and users; buckets outside are left out. */
function perSlot(input: UsageChartInput): { slot: number; held: number; idle: number }[] {
  const stepMs = input.stepS * 1000;
  const fromMs = input.from.getTime();
  const slots = Math.round((input.to.getTime() - fromMs) / stepMs);
  const bySlot = new Map<number, { held: number; idle: number }>();
  for (const b of input.buckets) {
    const slot = Math.floor((Date.parse(b.start) - fromMs) / stepMs);
    if (!(slot >= 0 && slot < slots)) continue;
    const row = bySlot.get(slot) ?? { held: 0, idle: 0 };
    row.held += b.gpuSeconds / input.stepS;
    row.idle += b.idleGpuSeconds / input.stepS;
    bySlot.set(slot, row);
  }
  return [...bySlot].filter(([, v]) => v.held > 0).sort(([a], [b]) => a - b).map(([slot, v]) => ({ slot, held: v.held, idle: Math.min(v.idle, v.held) }));
}

/** The plain-language summary of a chart (its <desc>). */
export function usageSummary(input: UsageChartInput): string {
  const period = periodWords(input.from, input.to);
  const seconds = (input.to.getTime() - input.from.getTime()) / 1000;
  const gpuSeconds = input.buckets.reduce((n, b) => n + b.gpuSeconds, 0);
  if (!(gpuSeconds > 0) || seconds <= 0) return `${input.title}: no usage recorded in ${period}.`;
  const idleSeconds = input.buckets.reduce((n, b) => n + b.idleGpuSeconds, 0);
  const peak = Math.max(...perSlot(input).map((s) => s.held));
  const quota = input.quotaGpuEquivalents === null ? '' : ` (quota ${formatNumber(input.quotaGpuEquivalents)})`;
  return `${input.title} held on average ${formatNumber(gpuSeconds / seconds)} GPU-equivalents, peak ${formatNumber(peak)}${quota}, over ${period}: ${formatGpuHours(gpuSeconds)}, ${formatGpuHours(idleSeconds)} of them idle.`;
}

/** A short id for the chart's title and desc, stable for the same title and window (two charts on a page differ). */
function chartId(input: UsageChartInput): string {
  let h = 2166136261;
  for (const ch of `${input.title}|${input.from.toISOString()}|${input.to.toISOString()}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `uc-${h.toString(36)}`;
}

/**
 * The usage chart as an SVG string (role="img", labelled by its <title> and <desc>): one bar per bucket with usage,
 * GPU-equivalents held (gpuSeconds / stepS) in use at the bottom and idle hatched on top, a dashed quota line when
 * given, the y axis in GPU-equivalents and the x axis in UTC. No usage at all is said in words, not drawn as a zero line.
 */
export function renderUsageChart(input: UsageChartInput): string {
  const id = chartId(input);
  const summary = usageSummary(input);
  const title = `${input.title}: GPU-equivalents held, ${periodWords(input.from, input.to)} (UTC)`;
  const open = `<svg xmlns="http://www.w3.org/2000/svg" class="usage-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc">`
    + `<title id="${id}-title">${escapeHtml(title)}</title><desc id="${id}-desc">${escapeHtml(summary)}</desc><style>${STYLE}</style>`;
  const slots = perSlot(input);
  if (slots.length === 0) {
    return `${open}<rect x="0.5" y="0.5" width="${WIDTH - 1}" height="${HEIGHT - 1}" fill="none" class="uc-grid"/>`
      + `<text class="uc-text uc-empty" x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle">no usage recorded in this period</text></svg>`;
  }
  const peak = Math.max(...slots.map((s) => s.held));
  const tickStep = niceCeil(Math.max(peak, input.quotaGpuEquivalents ?? 0, 0.5) / 4);
  const yMax = Math.ceil(Math.max(peak, input.quotaGpuEquivalents ?? 0) / tickStep - 1e-9) * tickStep || tickStep;
  const y = (v: number): number => PLOT.top + PLOT_H - (v / yMax) * PLOT_H;
  const fromMs = input.from.getTime();
  const spanMs = input.to.getTime() - fromMs;
  const x = (ms: number): number => PLOT.left + ((ms - fromMs) / spanMs) * PLOT_W;
  const slotW = (input.stepS * 1000 / spanMs) * PLOT_W;
  const gap = slotW > 4 ? 1 : 0;
  const parts: string[] = [open, `<defs><pattern id="${id}-hatch" patternUnits="userSpaceOnUse" width="6" height="6"><rect width="6" height="6" fill="#f0b84a"/><path d="M0,6 L6,0" stroke="#000" stroke-width="1"/></pattern></defs>`];
  // Y axis: grid lines and labels, and its name.
  for (let v = 0; v <= yMax + 1e-9; v += tickStep) {
    parts.push(`<line class="uc-grid" x1="${PLOT.left}" x2="${WIDTH - PLOT.right}" y1="${px(y(v))}" y2="${px(y(v))}"/>`);
    parts.push(`<text class="uc-text uc-ytick" x="${PLOT.left - 6}" y="${px(y(v) + 4)}" text-anchor="end">${formatNumber(Math.round(v * 1000) / 1000)}</text>`);
  }
  parts.push(`<text class="uc-text uc-ylabel" transform="translate(14 ${px(PLOT.top + PLOT_H / 2)}) rotate(-90)" text-anchor="middle">GPU-equivalents</text>`);
  // Bars: in use at the bottom, idle stacked on top.
  parts.push('<g class="uc-bars">');
  for (const s of slots) {
    const left = px(x(fromMs + s.slot * input.stepS * 1000) + gap / 2);
    const w = px(Math.max(0.5, slotW - gap));
    const active = s.held - s.idle;
    const start = new Date(fromMs + s.slot * input.stepS * 1000).toISOString();
    const tip = `${start.slice(0, 16).replace('T', ' ')} UTC: ${formatNumber(s.held)} held, ${formatNumber(s.idle)} idle`;
    parts.push(`<g class="uc-bar" data-start="${start}"><title>${escapeHtml(tip)}</title>`);
    if (active > 0) parts.push(`<rect class="uc-active" x="${left}" y="${px(y(active))}" width="${w}" height="${px(y(0) - y(active))}"/>`);
    if (s.idle > 0) parts.push(`<rect class="uc-idle" fill="url(#${id}-hatch)" x="${left}" y="${px(y(s.held))}" width="${w}" height="${px(y(active) - y(s.held))}"/>`);
    parts.push('</g>');
  }
  parts.push('</g>');
  if (input.quotaGpuEquivalents !== null) {
    const qy = px(y(input.quotaGpuEquivalents));
    parts.push(`<line class="uc-quota" x1="${PLOT.left}" x2="${WIDTH - PLOT.right}" y1="${qy}" y2="${qy}"/>`);
  }
  // X axis and its ticks (UTC).
  parts.push(`<line class="uc-axis" x1="${PLOT.left}" x2="${WIDTH - PLOT.right}" y1="${px(y(0))}" y2="${px(y(0))}"/>`);
  parts.push(`<line class="uc-axis" x1="${PLOT.left}" x2="${PLOT.left}" y1="${PLOT.top}" y2="${px(y(0))}"/>`);
  for (const tick of timeTicks(input.from, input.to)) {
    const tx = px(x(tick.at.getTime()));
    parts.push(`<line class="uc-axis" x1="${tx}" x2="${tx}" y1="${px(y(0))}" y2="${px(y(0) + 4)}"/>`);
    parts.push(`<text class="uc-text uc-xtick" x="${tx}" y="${px(y(0) + 18)}" text-anchor="middle">${escapeHtml(tick.label)}</text>`);
  }
  // Legend.
  const legend: [string, string][] = [['class="uc-active"', 'in use'], [`class="uc-idle" fill="url(#${id}-hatch)"`, 'idle']];
  let lx = PLOT.left;
  for (const [attrs, text] of legend) {
    parts.push(`<rect ${attrs} x="${lx}" y="8" width="12" height="12"/><text class="uc-text" x="${lx + 16}" y="18">${text}</text>`);
    lx += 80;
  }
  if (input.quotaGpuEquivalents !== null) {
    parts.push(`<line class="uc-quota" x1="${lx}" x2="${lx + 14}" y1="14" y2="14"/><text class="uc-text" x="${lx + 18}" y="18">quota ${formatNumber(input.quotaGpuEquivalents)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}
