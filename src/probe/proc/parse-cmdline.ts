import { DEFAULT_REDACTION, redactArgv, type RedactionRules } from '../redact/redact-argv.ts';

/** A process command line split into its arguments, secrets masked. */
export interface Cmdline {
  /** Arguments in order, secret values replaced by `***`; empty for kernel threads and zombies. */
  argv: string[];
  /** Arguments joined with single spaces, capped at CMDLINE_DISPLAY_MAX_CHARS; null when argv is empty. */
  display: string | null;
  /** Last `/`-separated part of argv[0]; null when argv is empty or argv[0] ends in `/`. */
  basename: string | null;
  /** Whether anything was masked (or had been masked already, as in a redacted capture). */
  redacted: boolean;
}

/** Longest display string parseCmdline returns (the snapshot schema's cmdline limit). */
export const CMDLINE_DISPLAY_MAX_CHARS = 4096;

function capDisplay(text: string): string {
  if (text.length <= CMDLINE_DISPLAY_MAX_CHARS) return text;
  let end = CMDLINE_DISPLAY_MAX_CHARS;
  const last = text.charCodeAt(end - 1);
  // Do not cut a UTF-16 surrogate pair in half.
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end);
}

/** Basename of a path-like string (text after the last `/`); null when that is empty. */
export function pathBasename(path: string): string | null {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base === '' ? null : base;
}

const EMPTY: Cmdline = { argv: [], display: null, basename: null, redacted: false };

function splitArgv(buf: string): string[] {
  const body = buf.endsWith('\0') ? buf.slice(0, -1) : buf;
  return body.split('\0');
}

// Empty arguments in the middle are kept; only the trailing NUL terminator is dropped. Redaction happens here,
// the one place a command line is parsed, so the snapshot, `--json` and the spool only ever see masked text.
/** Parse /proc/<pid>/cmdline (NUL-separated arguments) with secrets masked; empty for kernel threads. Never throws. */
export function parseCmdline(buf: string, rules: RedactionRules = DEFAULT_REDACTION): Cmdline {
  if (typeof buf !== 'string' || buf === '') return { ...EMPTY, argv: [] };
  const raw = splitArgv(buf);
  if (raw.every((arg) => arg === '')) return { ...EMPTY, argv: [] };
  const { argv, redacted } = redactArgv(raw, rules);
  return {
    argv,
    display: capDisplay(argv.join(' ')),
    basename: pathBasename(argv[0] ?? ''),
    redacted,
  };
}

/** /proc/<pid>/cmdline text with secrets masked and NULs kept, for the raw capture (unchanged when clean). */
export function redactProcCmdline(buf: string, rules: RedactionRules = DEFAULT_REDACTION): string {
  if (buf === '') return buf;
  const raw = splitArgv(buf);
  const { argv, redacted } = redactArgv(raw, rules);
  if (!redacted) return buf;
  return `${argv.join('\0')}${buf.endsWith('\0') ? '\0' : ''}`;
}
