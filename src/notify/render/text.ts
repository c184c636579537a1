// Text helpers for the renderers: labels and annotations are user-controlled (a container may be named
// `<script>` or `<!channel>`), so every channel escapes them its own way.

/** One line: control characters and line breaks become single spaces, ends trimmed. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}

/** The first `n` UTF-16 units of `text`, one fewer where the cut would split a surrogate pair. */
function headUtf16(text: string, n: number): string {
  const end = Math.max(0, n);
  const code = text.charCodeAt(end - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? end - 1 : end);
}

/** At most `max` UTF-16 units (Slack's and mail clients' "characters"), no pair split, `…` marking a cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${headUtf16(text, max - 1)}…`;
}

/** HTML text and attribute escaping: `& < > " '`. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * Slack mrkdwn escaping (`& < >`, as Slack documents): no user text can become a link, a mention or `<!channel>`.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escaped Slack text cut to `max` characters without leaving half an entity (`&am…`). */
export function truncateEscaped(escaped: string, max: number): string {
  if (escaped.length <= max) return escaped;
  return `${headUtf16(escaped, max - 1).replace(/&[a-z]*$/, '')}…`;
}

/** An ISO time as `2026-11-25 17:17 UTC`; anything unparsable is shown as given (one line). */
export function formatTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return oneLine(iso);
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `1 alert`, `2 alerts`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
