/** Where a placeholder looks its value up: the finding's labels, the subject's facts, or the rule itself. */
export const TEMPLATE_NAMESPACES = ['labels', 'facts', 'rule'] as const;

/** One of TEMPLATE_NAMESPACES. */
export type TemplateNamespace = (typeof TEMPLATE_NAMESPACES)[number];

/** What `{{rule.X}}` may name: the rule id and scope, and the finding's severity, stage and `for`. */
export const RULE_PLACEHOLDERS = ['id', 'scope', 'severity', 'stage', 'for'] as const;

/** `{{ns.key}}` inside a template; `text` is how it was written, for messages. */
export interface Placeholder {
  ns: TemplateNamespace;
  key: string;
  text: string;
  /** The key is also an Object.prototype property (`constructor`…): look it up as an own property only. */
  ownOnly: boolean;
}

/** A template split once into literal text and placeholders, ready to render many times. */
export interface CompiledTemplate {
  source: string;
  parts: readonly (string | Placeholder)[];
  placeholders: readonly Placeholder[];
}

/** Result of compiling a template: the template, or the reasons it cannot be one. */
export type TemplateResult = { ok: true; template: CompiledTemplate } | { ok: false; errors: string[] };

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const INNER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)\s*$/;
const FORMS = 'use {{labels.NAME}}, {{facts.NAME}} or {{rule.id}}';

function isNamespace(ns: string): ns is TemplateNamespace {
  return (TEMPLATE_NAMESPACES as readonly string[]).includes(ns);
}

/**
 * Split `text` into literals and placeholders; syntax errors and unknown namespaces / rule fields are errors.
 * `check` may reject a well-formed placeholder (an unknown fact, say); errors come in the order they appear.
 */
export function compileTemplate(text: string, check?: (p: Placeholder) => string | null): TemplateResult {
  const parts: (string | Placeholder)[] = [];
  const placeholders: Placeholder[] = [];
  const errors: string[] = [];
  let last = 0;
  const literal = (s: string): void => {
    if (s.includes('{{')) errors.push(`unclosed "{{" in ${JSON.stringify(s.slice(s.indexOf('{{'), s.indexOf('{{') + 20))}: ${FORMS}`);
    if (s !== '') parts.push(s);
  };
  for (const m of text.matchAll(PLACEHOLDER)) {
    literal(text.slice(last, m.index));
    last = m.index + m[0].length;
    const inner = INNER.exec(m[1] ?? '');
    const ns = inner?.[1];
    const key = inner?.[2];
    if (ns === undefined || key === undefined) {
      errors.push(`malformed placeholder ${m[0]}: ${FORMS}`);
    } else if (!isNamespace(ns)) {
      errors.push(`unknown placeholder ${m[0]}: "${ns}" is not one of ${TEMPLATE_NAMESPACES.join(', ')}; ${FORMS}`);
    } else if (ns === 'rule' && !(RULE_PLACEHOLDERS as readonly string[]).includes(key)) {
      errors.push(`unknown placeholder ${m[0]}: rule placeholders are ${RULE_PLACEHOLDERS.map((k) => `{{rule.${k}}}`).join(', ')}`);
    } else {
      const p: Placeholder = { ns, key, text: m[0], ownOnly: key in Object.prototype };
      const rejected = check?.(p) ?? null;
      if (rejected !== null) errors.push(rejected);
      parts.push(p);
      placeholders.push(p);
    }
  }
  literal(text.slice(last));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, template: { source: text, parts, placeholders } };
}

/** Render a value for a human: null / undefined → `?`, numbers with up to 2 decimals, lists comma-separated. */
export function formatTemplateValue(value: unknown): string {
  if (value === undefined || value === null) return '?';
  if (typeof value === 'number') {
    if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
    return String(Math.round(value * 100) / 100);
  }
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(formatTemplateValue).join(', ');
  return String(value);
}

/** Values a template renders from. `rule` holds RULE_PLACEHOLDERS (stage may be null). */
export interface TemplateContext {
  labels: Readonly<Record<string, string>>;
  facts: Readonly<Record<string, unknown>>;
  rule: Readonly<Record<string, string | null>>;
}

function lookup(p: Placeholder, ctx: TemplateContext): unknown {
  const source = p.ns === 'labels' ? ctx.labels : p.ns === 'facts' ? ctx.facts : ctx.rule;
  if (p.ownOnly && !Object.hasOwn(source, p.key)) return undefined;
  return source[p.key];
}

/** Render a compiled template; a missing value renders as `?`. */
export function renderTemplate(t: CompiledTemplate, ctx: TemplateContext): string {
  let out = '';
  for (const part of t.parts) out += typeof part === 'string' ? part : formatTemplateValue(lookup(part, ctx));
  return out;
}
