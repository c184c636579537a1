// The two shapes of a log line: one JSON object per line (journald, Workers Logs, jq) or readable text on a terminal.
import { logText } from '../service/log-text.ts';

/** Severity of a log line, least to most severe. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Every level, least severe first (the order `--log-level` filters by). */
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** How log lines are written: `json` (one object per line) or `text` (for a person at a terminal). */
export type LogFormat = 'json' | 'text';

/** Every format. */
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'text'];

/** Extra facts of a log line (request id, status, host…); undefined values are left out. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** One log line before it is written: fields are already redacted. */
export interface LogRecord {
  ts: Date;
  level: LogLevel;
  msg: string;
  fields: LogFields;
}

/** Characters JSON.stringify leaves raw that can still break or fake a line in a viewer: DEL, C1, U+2028/2029. */
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029]/g;

/** `{"ts":…,"level":…,"msg":…,…fields}` on one line; fields never overwrite ts, level or msg. */
export function formatJson(record: LogRecord): string {
  // No prototype: a field named __proto__ is a field like any other.
  const out: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, { ts: record.ts.toISOString(), level: record.level, msg: record.msg });
  for (const [key, value] of Object.entries(record.fields)) {
    if (value === undefined || key in out) continue;
    out[key] = value;
  }
  return JSON.stringify(out).replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `2026-11-25T17:20:00.000Z WARN  msg key=value key="two words"`, control characters escaped. */
export function formatText(record: LogRecord): string {
  const parts = [record.ts.toISOString(), record.level.toUpperCase().padEnd(5), logText(record.msg)];
  for (const [key, value] of Object.entries(record.fields)) {
    if (value === undefined) continue;
    parts.push(`${logText(key)}=${textValue(value)}`);
  }
  return parts.join(' ');
}

function textValue(value: string | number | boolean | null): string {
  if (typeof value !== 'string') return String(value);
  const escaped = logText(value);
  return escaped !== '' && /^[^\s"=]+$/.test(escaped) ? escaped : JSON.stringify(escaped);
}
