/**
 * Parses `nvidia-smi --query-gpu` / `--query-compute-apps` CSV in every `--format=csv[,noheader][,nounits]` variant.
 * nvidia-smi separates with ", " and never quotes, so a `process_name` holding ", " spills into extra fields;
 * those are re-joined from both ends. Pure, never throws.
 */
import { cleanText, parseIntOrNull, parseNumberWithUnit } from './parse-value.ts';

export { splitExporterCapture, type CaptureSection } from './exporter-capture.ts';
export { parseHelpQueryFields, type HelpQueryField } from './help-query.ts';

/** Options for {@link parseQueryCsv}; `columns` is required for `noheader` output (the order you queried). */
export interface QueryCsvOptions {
  columns?: string[];
}

/** Parsed CSV: column names without ` [unit]`, rows keyed by column (placeholders → null), per-line errors. */
export interface QueryCsvResult {
  columns: string[];
  rows: Array<Record<string, string | null>>;
  errors: string[];
}

/** One `--query-compute-apps` row with the fields the probe needs. */
export interface ComputeAppRow {
  pid: number;
  processName: string | null;
  usedMemoryMiB: number | null;
  gpuUuid: string | null;
}

/** Typed compute-apps rows plus everything that could not be read. */
export interface ComputeAppsResult {
  rows: ComputeAppRow[];
  errors: string[];
}

const SEPARATOR = ', ';
const SPILL_COLUMN = 'process_name';
const FIELD_NAME = /^[A-Za-z0-9_.]+$/;

/** Parses query CSV; reads the header unless `options.columns` is given (a header equal to those columns is skipped). */
export function parseQueryCsv(text: string, options?: QueryCsvOptions): QueryCsvResult {
  const errors: string[] = [];
  if (typeof text !== 'string') return { columns: [], rows: [], errors: ['CSV input is not text'] };
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const given = options?.columns?.map(stripUnit);

  let columns: string[];
  let dataLines: string[];
  if (given !== undefined) {
    columns = given;
    const first = lines[0];
    const firstIsHeader = first !== undefined && sameColumns(splitFields(first).map(stripUnit), columns);
    dataLines = firstIsHeader ? lines.slice(1) : lines;
  } else {
    const header = lines[0];
    if (header === undefined) return { columns: [], rows: [], errors: ['CSV input has no header line'] };
    columns = splitFields(header).map(stripUnit);
    if (!columns.every((name) => FIELD_NAME.test(name))) {
      return { columns: [], rows: [], errors: [`first line is not a CSV header: "${header.slice(0, 200)}"`] };
    }
    dataLines = lines.slice(1);
  }

  const rows: Array<Record<string, string | null>> = [];
  dataLines.forEach((line, i) => {
    const fields = fitFields(splitFields(line), columns);
    if (typeof fields === 'string') {
      errors.push(`row ${i + 1}: ${fields}`);
      return;
    }
    rows.push(Object.fromEntries(columns.map((name, c) => [name, cleanText(fields[c])])));
  });
  return { columns, rows, errors };
}

/** Parses header-bearing `--query-compute-apps` CSV (`pid`, `process_name`, `used_gpu_memory`|`used_memory`, `gpu_uuid`). */
export function parseComputeApps(text: string): ComputeAppsResult {
  const parsed = parseQueryCsv(text);
  const errors = [...parsed.errors];
  if (parsed.columns.length > 0 && !parsed.columns.includes('pid')) {
    errors.push('compute-apps CSV has no pid column');
    return { rows: [], errors };
  }
  const rows: ComputeAppRow[] = [];
  parsed.rows.forEach((row, i) => {
    const pid = parseIntOrNull(row['pid']);
    if (pid === null || pid <= 0) {
      errors.push(`row ${i + 1}: no usable pid`);
      return;
    }
    rows.push({
      pid,
      processName: row['process_name'] ?? null,
      usedMemoryMiB: parseNumberWithUnit(row['used_gpu_memory'] ?? row['used_memory'] ?? null),
      gpuUuid: row['gpu_uuid'] ?? null,
    });
  });
  return { rows, errors };
}

function splitFields(line: string): string[] {
  return line.split(SEPARATOR).map((field) => field.trim());
}

/** `memory.used [MiB]` → `memory.used`. */
function stripUnit(name: string): string {
  return name.replace(/\s*\[[^\]]*\]\s*$/, '').trim();
}

function sameColumns(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

/** Matches fields to columns, re-joining a spilled `process_name`; returns an error message when impossible. */
function fitFields(fields: string[], columns: string[]): string[] | string {
  if (fields.length === columns.length) return fields;
  if (fields.length < columns.length) return `expected ${columns.length} fields, found ${fields.length}`;
  const spill = columns.indexOf(SPILL_COLUMN);
  if (spill === -1) return `expected ${columns.length} fields, found ${fields.length} and no ${SPILL_COLUMN} column to absorb them`;
  const trailing = columns.length - spill - 1;
  const joined = fields.slice(spill, fields.length - trailing).join(SEPARATOR);
  return [...fields.slice(0, spill), joined, ...fields.slice(fields.length - trailing)];
}
