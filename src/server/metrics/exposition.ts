import type { HistogramCounts } from './histogram.ts';

/** One sample of a metric family: its labels (name → value) and value; NaN/±Inf are written as the format spells them. */
export interface Sample {
  labels: Record<string, string>;
  value: number;
  /** Appended to the family name: `_bucket`, `_sum`, `_count` of a histogram. */
  suffix?: string;
}

/** One metric family: name, HELP text, TYPE, samples (a family without samples still gets its HELP and TYPE lines). */
export interface MetricFamily {
  name: string;
  help: string;
  type: 'gauge' | 'counter' | 'histogram';
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A label value escaped as text format 0.0.4 requires: backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text escaped as text format 0.0.4 requires: backslash and line feed. */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample value as the text format writes it (Go float syntax; NaN, +Inf, -Inf). */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** A histogram's samples: cumulative `_bucket{le}` lines ending at +Inf, then `_sum` and `_count`. */
export function histogramSamples(counts: HistogramCounts): Sample[] {
  return [
    ...counts.buckets.map((b) => ({ suffix: '_bucket', labels: { le: formatValue(b.le) }, value: b.count })),
    { suffix: '_sum', labels: {}, value: counts.sum },
    { suffix: '_count', labels: {}, value: counts.count },
  ];
}

/** Families in the Prometheus text exposition format 0.0.4; throws for an invalid metric or label name (a bug, not input). */
export function renderExposition(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const f of families) {
    if (!METRIC_NAME.test(f.name)) throw new Error(`invalid metric name "${f.name}"`);
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const pairs = Object.entries(s.labels).map(([k, v]) => {
        if (!LABEL_NAME.test(k) || k.startsWith('__')) throw new Error(`invalid label name "${k}" in ${f.name}`);
        return `${k}="${escapeLabelValue(v)}"`;
      });
      lines.push(`${f.name}${s.suffix ?? ''}${pairs.length === 0 ? '' : `{${pairs.join(',')}}`} ${formatValue(s.value)}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
