/** A process command line split into its arguments. */
export interface Cmdline {
  /** Arguments in order; empty for kernel threads and zombies. */
  argv: string[];
  /** Arguments joined with single spaces, capped at CMDLINE_DISPLAY_MAX_CHARS; null when argv is empty. */
  display: string | null;
  /** Last `/`-separated part of argv[0]; null when argv is empty or argv[0] ends in `/`. */
  basename: string | null;
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

// Empty arguments in the middle are kept; only the trailing NUL terminator is dropped.
/** Parse /proc/<pid>/cmdline (NUL-separated arguments); empty for kernel threads. Never throws. */
export function parseCmdline(buf: string): Cmdline {
  if (typeof buf !== 'string' || buf === '') return { argv: [], display: null, basename: null };
  const body = buf.endsWith('\0') ? buf.slice(0, -1) : buf;
  const argv = body.split('\0');
  if (argv.every((arg) => arg === '')) return { argv: [], display: null, basename: null };
  return {
    argv,
    display: capDisplay(argv.join(' ')),
    basename: pathBasename(argv[0] ?? ''),
  };
}
