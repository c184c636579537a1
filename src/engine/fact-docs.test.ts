import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FACT_CATALOGUE } from './fact-catalogue.ts';
import { renderFactTables, withFactTables } from './fact-docs.ts';

const README = readFileSync(new URL('../../rules/README.md', import.meta.url), 'utf8');

describe('rules/README.md fact reference', () => {
  it('is current (run: npx tsx src/engine/write-fact-docs.ts)', () => {
    expect(withFactTables(README)).toBe(README);
  });

  it('documents every fact of every scope', () => {
    const tables = renderFactTables();
    for (const facts of Object.values(FACT_CATALOGUE)) for (const name of Object.keys(facts)) expect(tables).toContain(`| \`${name}\` |`);
  });
});
