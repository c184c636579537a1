import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FACT_CATALOGUE, knownFacts } from '../fact-catalogue.ts';
import { compileRule, type FactMap } from './compile.ts';
import type { NestedCondition } from './condition-schema.ts';
import { isRuleFileName, loadRulesDir } from './load-dir.ts';
import { referenceMatches } from './reference.ts';
import type { Rule } from './rule-schema.ts';

// The default rule pack, run both ways on facts shaped like the catalogue says (plus null and absent).
const PACK_DIR = new URL('../../../rules/', import.meta.url).pathname;
const hasPack = existsSync(PACK_DIR) && readdirSync(PACK_DIR).some(isRuleFileName);

/** Every literal in a condition tree, so generated facts hit each threshold and its neighbours. */
function literals(c: NestedCondition, out: unknown[] = []): unknown[] {
  if ('all' in c) c.all.forEach((x) => literals(x, out));
  else if ('any' in c) c.any.forEach((x) => literals(x, out));
  else if ('not' in c) literals(c.not, out);
  else if (Array.isArray(c.value)) out.push(...c.value);
  else if (c.value === null || typeof c.value !== 'object') out.push(c.value);
  return out;
}

function factsFor(rule: Rule): fc.Arbitrary<FactMap> {
  const lits = [rule.conditions, ...rule.stages.map((s) => s.conditions)].flatMap((c) => literals(c));
  const numbers = lits.filter((v): v is number => typeof v === 'number').flatMap((n) => [n, n - 0.01, n + 0.01]);
  const strings = lits.filter((v): v is string => typeof v === 'string');
  const byType = {
    number: fc.oneof(fc.double({ min: -10, max: 1000, noNaN: true }), ...(numbers.length > 0 ? [fc.constantFrom(...numbers)] : [])),
    string: fc.oneof(fc.string({ maxLength: 4 }), ...(strings.length > 0 ? [fc.constantFrom(...strings)] : [])),
    boolean: fc.boolean(),
    'string[]': fc.array(fc.oneof(fc.constantFrom('gpu', 'proc', 'docker', 'users'), ...(strings.length > 0 ? [fc.constantFrom(...strings)] : [])), { maxLength: 3 }),
  } as const;
  const entries = Object.entries(FACT_CATALOGUE[rule.scope]).map(([name, doc]) =>
    fc
      .oneof({ arbitrary: byType[doc.type] as fc.Arbitrary<unknown>, weight: 8 }, { arbitrary: fc.constant(null), weight: 1 }, { arbitrary: fc.constant(undefined), weight: 1 })
      .map((v) => [name, v] as const),
  );
  return fc.tuple(...entries).map((pairs) => Object.fromEntries(pairs.filter(([, v]) => v !== undefined)) as FactMap);
}

describe.runIf(hasPack)('the default rule pack (rules/*.json)', () => {
  const reached = new Map<string, number>();
  const { rules, problems } = hasPack ? loadRulesDir(PACK_DIR, { knownFacts: knownFacts() }) : { rules: [], problems: [] };

  it('loads without problems against the fact catalogue', () => {
    expect(problems).toEqual([]);
    expect(rules.length).toBeGreaterThan(0);
  });

  it.each(rules.map((r) => [r.id, r] as const))('%s: compiled ≡ json-rules-engine on generated facts, base and stages', async (_id, rule) => {
    const compiled = compileRule(rule);
    let matched = 0;
    await fc.assert(
      fc.asyncProperty(factsFor(rule), async (facts) => {
        const base = await referenceMatches(rule, facts);
        expect(compiled.matches(facts)).toBe(base);
        if (base) matched++;
        for (const [i, stage] of rule.stages.entries()) {
          expect(compiled.stages[i]?.matches(facts)).toBe(await referenceMatches(stage, facts));
        }
      }),
      { numRuns: 150 },
    );
    reached.set(rule.id, matched);
  });

  it('generated facts make most rules of the pack match at least once (else the comparison says little)', () => {
    const hit = [...reached.values()].filter((n) => n > 0).length;
    expect(reached.size).toBe(rules.length);
    expect(hit).toBeGreaterThanOrEqual(Math.ceil(rules.length / 2));
  });
});
