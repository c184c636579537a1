// Test support: the exposition text through a real parser (parse-prometheus-text-format) plus the checks it skips.
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';

/** Text format 0.0.4 sample line: name, optional {labels} with escaped values, a Go float value. */
const SAMPLE_LINE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")*\})? (NaN|[+-]Inf|[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?)$/;

/**
 * Parse with the real parser, after checking what it is lenient about: every line is a HELP, a TYPE or a grammatical
 * sample, the text ends in a newline, every family has HELP and TYPE, every value is a number. Throws naming the line.
 */
export function parseExpositionStrictly(text: string): ParsedFamily[] {
  if (text !== '' && !text.endsWith('\n')) throw new Error('exposition text must end with a line feed');
  const lines = text.split('\n').slice(0, -1);
  for (const [i, line] of lines.entries()) {
    if (/^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* /.test(line)) continue;
    if (!SAMPLE_LINE.test(line)) throw new Error(`line ${i + 1} is not a valid sample: ${line}`);
  }
  const families = parsePrometheusTextFormat(text);
  for (const f of families) {
    if (f.help === '' || f.type === 'UNTYPED') throw new Error(`${f.name}: no HELP or TYPE`);
    for (const m of f.metrics) {
      const values = f.type === 'HISTOGRAM' ? [m.count, m.sum, ...Object.values(m.buckets ?? {})] : [m.value];
      if (f.type === 'HISTOGRAM' && m.buckets?.['+Inf'] !== m.count) throw new Error(`${f.name}: the +Inf bucket must equal the count`);
      for (const v of values) {
        if (v === undefined || (Number.isNaN(Number(v)) && v !== 'NaN')) throw new Error(`${f.name}: value ${String(v)} is not a number`);
      }
    }
  }
  return families;
}
