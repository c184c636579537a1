import { applyFilter, parseFilter, type TemplateFilter } from './template-filters.ts';

/** Where a placeholder looks its value up: the finding's labels, the subject's facts, or the rule itself. */
export const TEMPLATE_NAMESPACES = ['labels', 'facts', 'rule'] as const;

/** One of TEMPLATE_NAMESPACES. */
export type TemplateNamespace = (typeof TEMPLATE_NAMESPACES)[number];

/** What `{{rule.X}}` may name: the rule id and scope, and the finding's severity, stage and `for`. */
export const RULE_PLACEHOLDERS = ['id', 'scope', 'severity', 'stage', 'for'] as const;

/** `{{ns.key}}` or `{{ns.key | filter | …}}` inside a template; `text` is how it was written, for messages. */
export interface Placeholder {
  ns: TemplateNamespace;
  key: string;
  text: string;
  /** Formatting filters applied in order (`| minutes`, `| default "owner unknown"`); empty for a plain value. */
  filters: readonly TemplateFilter[];
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
const FORMS = 'use {{labels.NAME}}, {{facts.NAME}} or {{rule.id}}, optionally with filters: {{facts.NAME | minutes}}';

/** Split a placeholder's inside on `|`, except inside a quoted filter argument. */
function splitPipes(inner: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i] ?? '';
    if (quoted && ch === '\\') {
      current += ch + (inner[i + 1] ?? '');
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
      current += ch;
    } else if (ch === '|' && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

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
    const [path = '', ...steps] = splitPipes(m[1] ?? '');
    const inner = INNER.exec(path);
    const ns = inner?.[1];
    const key = inner?.[2];
    const filters: TemplateFilter[] = [];
    const filterErrors: string[] = [];
    for (const step of steps) {
      const parsed = parseFilter(step, m[0]);
      if (parsed.ok) filters.push(parsed.filter);
      else filterErrors.push(parsed.error);
    }
    if (ns === undefined || key === undefined) {
      errors.push(`malformed placeholder ${m[0]}: ${FORMS}`);
    } else if (!isNamespace(ns)) {
      errors.push(`unknown placeholder ${m[0]}: "${ns}" is not one of ${TEMPLATE_NAMESPACES.join(', ')}; ${FORMS}`);
    } else if (ns === 'rule' && !(RULE_PLACEHOLDERS as readonly string[]).includes(key)) {
      errors.push(`unknown placeholder ${m[0]}: rule placeholders are ${RULE_PLACEHOLDERS.map((k) => `{{rule.${k}}}`).join(', ')}`);
    } else if (filterErrors.length > 0) {
      errors.push(...filterErrors);
    } else {
      const p: Placeholder = { ns, key, text: m[0], ownOnly: key in Object.prototype, filters };
      const rejected = check?.(p) ?? null;
      if (rejected !== null) errors.push(rejected);
      parts.push(p);
      placeholders.push(p);
    }
  }
  literal(text.slice(last));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, template: { source: text, parts, placeholders } };
}

/** Render a value for a human: null / undefined → `unknown`, numbers with up to 2 decimals, lists comma-separated. */
export function formatTemplateValue(value: unknown): string {
  if (value === undefined || value === null) return 'unknown';
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

/** A placeholder's value after its filters. */
function filtered(p: Placeholder, ctx: TemplateContext): unknown {
  let value = lookup(p, ctx);
  for (const f of p.filters) value = applyFilter(value, f);
  return value;
}

/** Render a compiled template; a missing value renders as `unknown` unless a `default` filter says otherwise. */
export function renderTemplate(t: CompiledTemplate, ctx: TemplateContext): string {
  let out = '';
  for (const part of t.parts) out += typeof part === 'string' ? part : formatTemplateValue(filtered(part, ctx));
  return out;
}
