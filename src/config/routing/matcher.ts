// Prometheus / Alertmanager label matchers: parse `name=value`, `name!=value`, `name=~regex`, `name!~regex`; test them.
import type { MatchOp, Matcher } from './types.ts';

/** Label names, as in Prometheus. */
export const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const MATCHER = /^\s*([^=!~\s"]+)\s*(=~|!~|!=|=)(.*)$/s;
const SYNTAX = 'write name=value, name!=value, name=~regex or name!~regex';

/** A parsed matcher, or why the text is not one (the sentence never repeats a secret: matchers hold none). */
export type ParsedMatcher = { ok: true; matcher: Matcher } | { ok: false; message: string };

function unquote(raw: string): { ok: true; value: string } | { ok: false; message: string } {
  const v = raw.trim();
  if (!v.startsWith('"')) {
    if (v.endsWith('"')) return { ok: false, message: `unbalanced quotes in ${JSON.stringify(v)}` };
    return { ok: true, value: v };
  }
  if (v.length < 2 || !v.endsWith('"')) return { ok: false, message: `unbalanced quotes in ${JSON.stringify(v)}` };
  try {
    const parsed: unknown = JSON.parse(v);
    return typeof parsed === 'string' ? { ok: true, value: parsed } : { ok: false, message: 'invalid quoted value' };
  } catch {
    return { ok: false, message: `invalid quoted value ${v} (escape " and \\ with a backslash)` };
  }
}

/** Parse one matcher; regexes are anchored at both ends like Prometheus (`=~"gpu-.*"` matches the whole value). */
export function parseMatcher(text: string): ParsedMatcher {
  const m = MATCHER.exec(text);
  if (m === null) return { ok: false, message: `${JSON.stringify(text)} is not a matcher: ${SYNTAX}` };
  const name = m[1] ?? '';
  const op = (m[2] ?? '=') as MatchOp;
  const rest = m[3] ?? '';
  if (!LABEL_NAME.test(name)) return { ok: false, message: `${JSON.stringify(name)} is not a label name (letters, digits, _; not starting with a digit)` };
  if (op === '=' && /^\s*[=~]/.test(rest)) {
    return { ok: false, message: `${JSON.stringify(text)} is not a matcher: use a single "=" (or "=~" for a regex); ${SYNTAX}` };
  }
  const value = unquote(rest);
  if (!value.ok) return value;
  if (op === '=' || op === '!=') return { ok: true, matcher: { name, op, value: value.value, regex: null } };
  try {
    return { ok: true, matcher: { name, op, value: value.value, regex: new RegExp(`^(?:${value.value})$`) } };
  } catch (err) {
    const why = (err as Error).message.replace(/^Invalid regular expression: /, '').replace(/^\/.*\/u?: /, '');
    return { ok: false, message: `invalid regex ${JSON.stringify(value.value)}: ${why}` };
  }
}

/** Whether the labels satisfy the matcher; a missing label counts as "" (Prometheus semantics). */
export function matcherMatches(matcher: Matcher, labels: Readonly<Record<string, string>>): boolean {
  const v = Object.hasOwn(labels, matcher.name) ? (labels[matcher.name] ?? '') : '';
  switch (matcher.op) {
    case '=':
      return v === matcher.value;
    case '!=':
      return v !== matcher.value;
    case '=~':
      return matcher.regex?.test(v) ?? false;
    case '!~':
      return !(matcher.regex?.test(v) ?? false);
  }
}

/** `severity="critical"` (the value quoted and escaped, as Alertmanager prints it). */
export function formatMatcher(matcher: Matcher): string {
  return `${matcher.name}${matcher.op}${JSON.stringify(matcher.value)}`;
}

/** `{severity="critical", alertname=~"gpu-.*"}`; `{}` for none. */
export function formatMatchers(matchers: readonly Matcher[]): string {
  return `{${matchers.map(formatMatcher).join(', ')}}`;
}
