import { FACT_CATALOGUE } from './fact-catalogue.ts';
import { SCOPES } from './subject.ts';

/** Markers around the generated part of rules/README.md. */
export const FACTS_BEGIN = '<!-- facts:begin (generated from src/engine/fact-catalogue.ts: npx tsx src/engine/write-fact-docs.ts) -->';
export const FACTS_END = '<!-- facts:end -->';

/** The fact reference of rules/README.md: one table per scope, every fact with type, unit and meaning. */
export function renderFactTables(): string {
  const parts: string[] = [];
  for (const scope of SCOPES) {
    parts.push(`### Scope \`${scope}\``, '', '| fact | type | unit | meaning |', '| --- | --- | --- | --- |');
    for (const [name, doc] of Object.entries(FACT_CATALOGUE[scope])) {
      parts.push(`| \`${name}\` | ${doc.type} | ${doc.unit ?? ''} | ${doc.description.replaceAll('|', '\\|')} |`);
    }
    parts.push('');
  }
  return parts.join('\n');
}

/** Replace the generated section of a README text. */
export function withFactTables(readme: string): string {
  const start = readme.indexOf(FACTS_BEGIN);
  const end = readme.indexOf(FACTS_END);
  if (start < 0 || end < start) throw new Error('rules/README.md lacks the facts:begin / facts:end markers');
  return `${readme.slice(0, start + FACTS_BEGIN.length)}\n\n${renderFactTables()}\n${readme.slice(end)}`;
}
