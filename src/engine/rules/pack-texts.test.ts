import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FACT_CATALOGUE, knownFacts } from '../fact-catalogue.ts';
import { SEVERITY_ORDER } from '../finding.ts';
import { isRuleFileName, loadRulesDir } from './load-dir.ts';
import { compileTemplate } from './template.ts';

// What the default pack tells people must be true and readable: no promise of an action nothing performs, stage
// ids that do not contradict their severity, and every number passed through a formatting filter.
const PACK_DIR = new URL('../../../rules/', import.meta.url).pathname;
const hasPack = existsSync(PACK_DIR) && readdirSync(PACK_DIR).some(isRuleFileName);

/** Claims of actions gpuwarden does not perform (no enforcement runs yet; nothing reads a keep-alive file). */
const FALSE_CLAIMS = [/keep-alive/i, /\bis stopped\b/i, /\bare stopped\b/i, /\bremoved after\b/i, /\bare removed\b/i, /\bwill be\b/i, /stopped and removed/i, /auto-?stop/i, /honou?red/i];

describe.runIf(hasPack)('the default pack says only what is true, readably', () => {
  const { rules, problems } = hasPack ? loadRulesDir(PACK_DIR, { knownFacts: knownFacts() }) : { rules: [], problems: [] };
  const texts = rules.flatMap((r) => [
    { where: `${r.id} summary`, scope: r.scope, text: r.summary },
    { where: `${r.id} description`, scope: r.scope, text: r.description },
    ...r.stages.flatMap((s) => [
      ...(s.summary !== null ? [{ where: `${r.id} stage ${s.id} summary`, scope: r.scope, text: s.summary }] : []),
      ...(s.description !== null ? [{ where: `${r.id} stage ${s.id} description`, scope: r.scope, text: s.description }] : []),
    ]),
  ]);

  it('loads', () => {
    expect(problems).toEqual([]);
  });

  it('claims no action that nothing performs (stops, removals, keep-alive files)', () => {
    const found = texts.flatMap(({ where, text }) => FALSE_CLAIMS.filter((re) => re.test(text)).map((re) => `${where}: ${re.source}`));
    expect(found).toEqual([]);
  });

  it('formats every numeric fact it shows (durations in words, rounded numbers)', () => {
    const raw = texts.flatMap(({ where, scope, text }) => {
      const compiled = compileTemplate(text);
      if (!compiled.ok) return [`${where}: ${compiled.errors.join('; ')}`];
      return compiled.template.placeholders
        .filter((p) => p.ns === 'facts' && FACT_CATALOGUE[scope][p.key]?.type === 'number' && p.filters.every((f) => f.name === 'default'))
        .map((p) => `${where}: ${p.text}`);
    });
    expect(raw).toEqual([]);
  });

  it('names a GPU by gpuName, never by a bare index placeholder', () => {
    expect(texts.filter(({ text }) => /GPU \{\{facts\.index\}\}/.test(text)).map((t) => t.where)).toEqual([]);
  });

  it('names no stage after a severity it does not have', () => {
    const wrong = rules.flatMap((r) => r.stages.filter((s) => (SEVERITY_ORDER as readonly string[]).includes(s.id) && s.id !== s.severity).map((s) => `${r.id}: stage ${s.id} has severity ${s.severity}`));
    expect(wrong).toEqual([]);
  });

  it('the limit stages of the lifecycle rules say the limit is reached and what an admin may do', () => {
    for (const id of ['idle-gpu-container', 'max-runtime']) {
      const limit = rules.find((r) => r.id === id)?.stages.find((s) => s.id === 'limit');
      expect(limit?.summary).toMatch(/reached its .* limit/);
      expect(limit?.description).toMatch(/limit is reached; an administrator may stop this container/);
    }
  });
});
