// Types for the parse-prometheus-text-format devDependency (it ships none): prom2json-shaped output.
declare module 'parse-prometheus-text-format' {
  /** One parsed sample; values stay strings, as prom2json writes them. */
  export interface ParsedSample {
    value?: string;
    labels?: Record<string, string>;
    timestamp_ms?: string;
    /** A histogram's cumulative counts by upper bound, its count and sum. */
    buckets?: Record<string, string>;
    count?: string;
    sum?: string;
  }
  /** One parsed metric family. */
  export interface ParsedFamily {
    name: string;
    help: string;
    type: string;
    metrics: ParsedSample[];
  }
  /** Parse Prometheus text exposition format; throws for a line it cannot read. */
  export default function parsePrometheusTextFormat(text: string): ParsedFamily[];
}
