// Client-supplied text (snapshot ids, host and user names, error texts) must not forge log lines: one log call is
// one line, whatever the client sent.
import type { LogFn } from '../log/logger.ts';

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Control characters (C0, DEL, C1) and Unicode line/paragraph separators: what can break or fake a log line. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * `text` with line breaks shown as `\n`, `\r`, `\t` and every other control character as `\xNN` (`\u2028` for the
 * Unicode separators). Idempotent: escaping twice changes nothing, so a sink may escape again.
 */
export function logText(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    const known = ESCAPES[ch];
    if (known !== undefined) return known;
    const code = ch.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/** A log function that writes every line through `logText`: the last guard where lines leave the process. */
export function escapingLog(log: LogFn): LogFn {
  return (line, fields) => log(logText(line), fields);
}
