import type { PlacedProblem } from './check-conditions.ts';
import { compileTemplate } from './template.ts';
import { didYouMean } from './suggest.ts';

/** What a template may name: the facts and labels of the rule's scope (null = any name is accepted). */
export interface TemplateCheckContext {
  scope: string;
  facts: readonly string[] | null;
  labels: readonly string[] | null;
}

/** Check one annotation template: syntax, namespaces, rule fields, and (when known) fact and label names. */
export function checkTemplate(text: string, jsonPath: string, ctx: TemplateCheckContext): PlacedProblem[] {
  const compiled = compileTemplate(text, (p) => {
    const known = p.ns === 'facts' ? ctx.facts : p.ns === 'labels' ? ctx.labels : null;
    if (known === null || known.includes(p.key)) return null;
    const suggestion = didYouMean(p.key, known).replace(/"([^"]+)"/, `{{${p.ns}.$1}}`);
    const what = p.ns === 'facts' ? `fact "${p.key}"` : `label "${p.key}"`;
    return `unknown placeholder ${p.text}: no ${what} for scope ${ctx.scope}${suggestion}`;
  });
  return compiled.ok ? [] : compiled.errors.map((message) => ({ jsonPath, message }));
}
