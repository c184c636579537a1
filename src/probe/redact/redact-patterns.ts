// Value patterns redacted wherever they appear in an argument: well-known token shapes (built in) and the
// admin's own regexes (`probe --redact REGEX`), validated once at startup.
import { REDACTED } from './redaction-marker.ts';
import type { MaskResult } from './url-userinfo.ts';

/** Token shapes that are secrets whatever option carries them (Hugging Face, GitHub, OpenAI/Anthropic, Slack, AWS, GitLab, HTTP auth). */
export const BUILT_IN_VALUE_PATTERNS: readonly RegExp[] = [
  /\bhf_[A-Za-z0-9]{30,}\b/dg,
  /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})\b/dg,
  /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}/dg,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/dg,
  /\bAKIA[0-9A-Z]{16}\b/dg,
  /\bglpat-[A-Za-z0-9_-]{20,}/dg,
  /\b(?:Bearer|Basic|Token)\s+([A-Za-z0-9._~+/=-]{8,}|\*\*\*)/dg,
];

/** Cheap pre-check: an argument without any of these cannot match a built-in pattern (most arguments). */
export const BUILT_IN_HINT = /hf_|gh[pousr]_|github_pat_|sk-|xox|AKIA|glpat-|Bearer|Basic|Token/;

/** Thrown at startup for an admin pattern that cannot be used, with a sentence saying why. */
export class RedactPatternError extends Error {
  override name = 'RedactPatternError';
}

/**
 * Compile the admin's extra patterns (JavaScript regex syntax). A pattern with a capture group masks only
 * group 1 (`--sig=(\S+)` keeps `--sig=`); without one the whole match is masked.
 */
export function compileRedactPatterns(sources: readonly string[]): RegExp[] {
  return sources.map((source) => {
    let re: RegExp;
    try {
      re = new RegExp(source, 'gd');
    } catch (err) {
      throw new RedactPatternError(`--redact ${JSON.stringify(source)}: not a valid regular expression (${(err as Error).message})`);
    }
    if (source === '' || new RegExp(source).test('')) {
      throw new RedactPatternError(`--redact ${JSON.stringify(source)}: matches the empty string, so it would mask nothing useful`);
    }
    return re;
  });
}

/** Mask every match of `pattern` in `text` (group 1 when it has one); an existing `***` counts as masked. */
export function maskPattern(text: string, pattern: RegExp): MaskResult {
  const re = pattern.flags.includes('d') ? pattern : new RegExp(pattern.source, `${pattern.flags.replace('g', '')}gd`);
  re.lastIndex = 0;
  let out = '';
  let last = 0;
  let masked = false;
  for (const m of text.matchAll(re)) {
    if (m[0] === '') continue;
    const span = m.indices?.[1] ?? m.indices?.[0];
    if (span === undefined) continue;
    const [from, to] = span;
    if (from < last || from === to) continue;
    masked = true;
    if (text.slice(from, to) === REDACTED) continue;
    out += text.slice(last, from) + REDACTED;
    last = to;
  }
  return { text: out + text.slice(last), masked };
}
