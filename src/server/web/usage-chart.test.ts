// The usage chart, checked on its parsed structure (well-formed XML, bars, quota line, axis, summary), not a golden string.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { UsageBucket } from '../../usage/history.ts';
import { usageWindow } from '../../usage/ranges.ts';
import { renderUsageChart, timeTicks, type UsageChartInput } from './usage-chart.ts';

interface El {
  tag: string;
  attrs: Record<string, string>;
  children: El[];
  text: string;
}

/** The SVG as an element tree (attributes as strings, text joined), after checking it is well-formed XML. */
function parse(svg: string): El {
  expect(XMLValidator.validate(svg)).toBe(true);
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, parseTagValue: false, processEntities: true, htmlEntities: true });
  const toEl = (node: Record<string, unknown>): El | null => {
    const tag = Object.keys(node).find((k) => k !== ':@' && k !== '#text');
    if (tag === undefined) return null;
    const kids = (node[tag] as Record<string, unknown>[]) ?? [];
    const children = kids.map(toEl).filter((e): e is El => e !== null);
    const text = kids.map((k) => (typeof k['#text'] === 'string' || typeof k['#text'] === 'number' ? String(k['#text']) : '')).join('');
    return { tag, attrs: (node[':@'] as Record<string, string> | undefined) ?? {}, children, text };
  };
  const root = (parser.parse(svg) as Record<string, unknown>[]).map(toEl).find((e) => e !== null);
  if (root === undefined || root === null) throw new Error('no root element');
  return root;
}

function all(el: El, pred: (e: El) => boolean): El[] {
  return [...(pred(el) ? [el] : []), ...el.children.flatMap((c) => all(c, pred))];
}
const byClass = (root: El, cls: string): El[] => all(root, (e) => (e.attrs['class'] ?? '').split(' ').includes(cls));
const only = (els: El[]): El => {
  expect(els).toHaveLength(1);
  return els[0] as El;
};

const NOW = new Date('2026-11-25T17:22:00Z');
const day = usageWindow('24h', NOW);

function bucket(start: string, heldGpuEq: number, idleGpuEq: number, stepS = 300, over: Partial<UsageBucket> = {}): UsageBucket {
  return { user: 'alice', host: 'ds01', start, gpuSeconds: heldGpuEq * stepS, idleGpuSeconds: idleGpuEq * stepS, ...over };
}

function input(over: Partial<UsageChartInput> = {}): UsageChartInput {
  return { buckets: [], from: day.from, to: day.to, stepS: day.stepS, quotaGpuEquivalents: null, title: 'alice', ...over };
}

describe('renderUsageChart', () => {
  const buckets = [
    bucket('2026-11-25T10:00:00.000Z', 2, 0),
    bucket('2026-11-25T10:05:00.000Z', 2, 1),
    bucket('2026-11-25T10:05:00.000Z', 1, 1, 300, { host: 'ds02' }), // same bucket on another host: summed
    bucket('2026-11-25T10:10:00.000Z', 1, 1),
  ];

  it('draws one bar per bucket with usage, in use and idle stacked, and labels itself for screen readers', () => {
    const root = parse(renderUsageChart(input({ buckets, quotaGpuEquivalents: 4 })));
    expect(root.tag).toBe('svg');
    expect(root.attrs['role']).toBe('img');
    const [titleId, descId] = (root.attrs['aria-labelledby'] ?? '').split(' ');
    expect(only(all(root, (e) => e.tag === 'title' && e.attrs['id'] === titleId)).text).toBe('alice: GPU-equivalents held, the last 24 hours (UTC)');
    const desc = only(all(root, (e) => e.tag === 'desc' && e.attrs['id'] === descId)).text;
    // 2×300 + 3×300 + 1×300 GPU-seconds = 1800 over 86,400 s; idle 0 + 2×300 + 300 = 900.
    expect(desc).toBe('alice held on average 0.02 GPU-equivalents, peak 3 (quota 4), over the last 24 hours: 0.5 GPU-hours, 0.25 GPU-hours of them idle.');
    const bars = byClass(root, 'uc-bar');
    expect(bars.map((b) => b.attrs['data-start'])).toEqual(['2026-11-25T10:00:00.000Z', '2026-11-25T10:05:00.000Z', '2026-11-25T10:10:00.000Z']);
    // Bar 2: 1 in use + 2 idle; bar 3: idle only.
    expect(bars.map((b) => b.children.filter((c) => c.tag === 'rect').map((r) => r.attrs['class']))).toEqual([['uc-active'], ['uc-active', 'uc-idle'], ['uc-idle']]);
    const height = (r: El | undefined): number => Number(r?.attrs['height']);
    const [, second] = bars;
    const [active, idle] = (second?.children ?? []).filter((c) => c.tag === 'rect');
    expect(height(idle)).toBeCloseTo(2 * height(active), 1);
    // Idle sits on top of in use.
    expect(Number(idle?.attrs['y']) + height(idle)).toBeCloseTo(Number(active?.attrs['y']), 1);
  });

  it('puts the dashed quota line at the quota on the y scale', () => {
    const root = parse(renderUsageChart(input({ buckets, quotaGpuEquivalents: 4 })));
    const quota = byClass(root, 'uc-quota').find((l) => l.attrs['x1'] === '56');
    const ticks = byClass(root, 'uc-ytick');
    const tickY = (label: string): number => Number(ticks.find((t) => t.text === label)?.attrs['y']) - 4;
    expect(Number(quota?.attrs['y1'])).toBeCloseTo(tickY('4'), 1);
    expect(ticks.map((t) => t.text)).toEqual(['0', '1', '2', '3', '4']);
    expect(only(byClass(root, 'uc-ylabel')).text).toBe('GPU-equivalents');
    expect(root.children.find((c) => c.tag === 'style')?.text).toContain('stroke-dasharray');
  });

  it('draws no quota line without a quota', () => {
    expect(byClass(parse(renderUsageChart(input({ buckets }))), 'uc-quota')).toEqual([]);
  });

  it('says "no usage recorded in this period" instead of drawing a flat zero line', () => {
    const root = parse(renderUsageChart(input({ title: 'bob' })));
    expect(only(byClass(root, 'uc-empty')).text).toBe('no usage recorded in this period');
    expect(byClass(root, 'uc-bar')).toEqual([]);
    expect(byClass(root, 'uc-axis')).toEqual([]);
    expect(only(all(root, (e) => e.tag === 'desc')).text).toBe('bob: no usage recorded in the last 24 hours.');
  });

  it('escapes everything interpolated (the title is the only text from outside)', () => {
    const svg = renderUsageChart(input({ buckets, title: '<script>alert("x")</script> & \'co\'' }));
    expect(svg).not.toContain('<script>');
    const root = parse(svg);
    expect(only(all(root, (e) => e.tag === 'desc')).text.startsWith('<script>alert("x")</script> & \'co\' held')).toBe(true);
  });

  it('leaves out buckets outside the window', () => {
    const root = parse(renderUsageChart(input({ buckets: [bucket('2026-11-20T10:00:00.000Z', 5, 0), bucket('2026-11-25T17:20:00.000Z', 1, 0)] })));
    expect(byClass(root, 'uc-bar').map((b) => b.attrs['data-start'])).toEqual(['2026-11-25T17:20:00.000Z']);
  });

  it('over 7 days: hourly bars and daily weekday ticks', () => {
    const week = usageWindow('7d', NOW);
    const root = parse(renderUsageChart(input({ ...week, buckets: [bucket('2026-11-24T03:00:00.000Z', 1, 0, 3600)] })));
    expect(byClass(root, 'uc-xtick').map((t) => t.text)).toEqual(['Thu 19', 'Fri 20', 'Sat 21', 'Sun 22', 'Mon 23', 'Tue 24', 'Wed 25']);
    expect(byClass(root, 'uc-bar')).toHaveLength(1);
  });
});

describe('timeTicks', () => {
  it('24 hours: every 3 hours as HH:MM (UTC)', () => {
    expect(timeTicks(day.from, day.to).map((t) => t.label)).toEqual(['18:00', '21:00', '00:00', '03:00', '06:00', '09:00', '12:00', '15:00']);
  });

  it('30 days: every 5th day (counted from the epoch) as "23 Nov"', () => {
    const month = usageWindow('30d', NOW);
    expect(timeTicks(month.from, month.to).map((t) => t.label)).toEqual(['29 Oct', '3 Nov', '8 Nov', '13 Nov', '18 Nov', '23 Nov']);
  });
});
