// Secrets never leave the host: mask them in a process's argv before anything is written or sent.
import { REDACTED } from './redaction-marker.ts';
import { BUILT_IN_HINT, BUILT_IN_VALUE_PATTERNS, maskPattern } from './redact-patterns.ts';
import { isSecretName } from './secret-name.ts';
import { maskUrlUserinfo } from './url-userinfo.ts';

/** Site additions to the built-in rules: the admin's compiled `--redact` patterns. */
export interface RedactionRules {
  extraPatterns: readonly RegExp[];
}

/** Built-in rules only. */
export const DEFAULT_REDACTION: RedactionRules = { extraPatterns: [] };

/** The masked arguments, and whether anything was (or had already been) masked. */
export interface RedactedArgv {
  argv: string[];
  redacted: boolean;
}

const OPTION_WITH_VALUE = /^(-{1,2}[^=\s-][^=\s]*)=([\s\S]*)$/;
const OPTION_ALONE = /^-{1,2}[^=\s-][^=\s]*$/;
/** `NAME=value` as after `env`, and Hydra-style `+db.password=value` overrides. */
const ASSIGNMENT = /^((?:\+{1,2}|~)?[A-Za-z_][\w.-]*)=([\s\S]*)$/;

function maskValue(prefix: string, value: string): { text: string; masked: boolean } {
  if (value === '') return { text: `${prefix}=`, masked: false };
  return { text: `${prefix}=${REDACTED}`, masked: true };
}

/** One argument through every rule: secret-named `--x=v` / `X=v`, URL userinfo, token shapes, admin patterns. */
function redactArg(arg: string, rules: RedactionRules): { text: string; masked: boolean } {
  let text = arg;
  // A bare `***` is what an earlier pass left (a masked value or token): already redacted.
  let masked = arg === REDACTED;
  const named = OPTION_WITH_VALUE.exec(arg) ?? (arg.startsWith('-') ? null : ASSIGNMENT.exec(arg));
  if (named?.[1] !== undefined && isSecretName(named[1])) {
    const r = maskValue(named[1], named[2] ?? '');
    text = r.text;
    masked = r.masked;
  }
  const url = maskUrlUserinfo(text);
  text = url.text;
  masked ||= url.masked;
  const patterns = BUILT_IN_HINT.test(text) ? [...BUILT_IN_VALUE_PATTERNS, ...rules.extraPatterns] : rules.extraPatterns;
  for (const pattern of patterns) {
    const r = maskPattern(text, pattern);
    text = r.text;
    masked ||= r.masked;
  }
  // `sh -c "python x.py --api-key K"` and setproctitle lines hold a whole command in one argument.
  if (/\s/.test(text)) {
    const words = redactWords(text, rules);
    text = words.text;
    masked ||= words.redacted;
  }
  return { text, masked };
}

/**
 * Mask secrets in argv: values of options and variables whose name says key/token/secret/password/pwd/auth/
 * credential/api key (`--x=v`, `--x v`, `X=v`), URL userinfo, known token shapes and the admin's patterns.
 * Idempotent: masking masked text changes nothing and still reports `redacted`.
 */
export function redactArgv(argv: readonly string[], rules: RedactionRules = DEFAULT_REDACTION): RedactedArgv {
  const out: string[] = [];
  let redacted = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const r = redactArg(arg, rules);
    out.push(r.text);
    redacted ||= r.masked;
    // `--password VALUE`: the next argument is the value unless it is another option.
    const next = argv[i + 1];
    if (OPTION_ALONE.test(arg) && isSecretName(arg) && next !== undefined && next !== '' && !next.startsWith('-')) {
      out.push(REDACTED);
      redacted = true;
      i++;
    }
  }
  return { argv: out, redacted };
}

/** Redact the whitespace-separated words of `text` as an argv, keeping the original whitespace. */
function redactWords(text: string, rules: RedactionRules): { text: string; redacted: boolean } {
  const pieces = text.split(/(\s+)/);
  const words = pieces.filter((_, i) => i % 2 === 0);
  const r = redactArgv(words, rules);
  return { text: pieces.map((p, i) => (i % 2 === 0 ? (r.argv[i / 2] ?? '') : p)).join(''), redacted: r.redacted };
}

/** Mask a space-joined command line (nvidia-smi's process_name), word by word. */
export function redactCommandText(text: string, rules: RedactionRules = DEFAULT_REDACTION): { text: string; redacted: boolean } {
  return redactWords(text, rules);
}
