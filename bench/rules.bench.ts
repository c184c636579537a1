// npm run bench:rules: the reference host's snapshot through facts + the full default pack (median ms per
// snapshot), and in the same run the naive approach: one json-rules-engine `run` per subject per rule with the
// library's default JSONPath resolver, for a ratio.
import { Engine } from 'json-rules-engine';
import { computeFacts } from '../src/engine/facts/compute-facts.ts';
import { DEFAULT_USER_LIMITS, type LimitsView } from '../src/engine/facts/limits-view.ts';
import { emptyTrackedState } from '../src/engine/facts/tracked.ts';
import { loadRulesDir } from '../src/engine/rules/load-dir.ts';
import { buildSnapshot } from '../src/probe/build-snapshot.ts';
import { createRuleSet, packLoadOptions } from '../src/service/rule-set-from-pack.ts';
import { generateLargeHost, REFERENCE_HOST } from './large-host.ts';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 0 ? ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2 : (s[mid] ?? 0);
}

const limits: LimitsView = {
  forUser: () => DEFAULT_USER_LIMITS,
  forContainerType: () => ({ idleTimeoutH: 0.5, maxRuntimeH: 48 }),
  fairShareHalfLifeH: 24,
  probeIntervalS: 30,
  hostSilentAfterIntervals: 3,
};
const loaded = loadRulesDir('rules', packLoadOptions());
if (loaded.problems.length > 0) throw new Error('default pack does not load');
const pack = createRuleSet(loaded.rules);
const snapshot = buildSnapshot(generateLargeHost());
// A second snapshot 30 s later, so tracked state (idle, decay, first-seen) is exercised as in steady state.
const tracked = computeFacts(snapshot, emptyTrackedState(), limits).tracked;
const later = { ...snapshot, takenAt: new Date(Date.parse(snapshot.takenAt) + 30_000).toISOString() };

const ITER = 400;
const factsMs: number[] = [];
const evalMs: number[] = [];
const totalMs: number[] = [];
let findings = 0;
let subjects = 0;
for (let i = 0; i < ITER + 50; i++) {
  const t0 = performance.now();
  const f = computeFacts(later, tracked, limits);
  const t1 = performance.now();
  const found = pack.evaluate(f.subjects);
  const t2 = performance.now();
  if (i < 50) continue; // warm-up
  factsMs.push(t1 - t0);
  evalMs.push(t2 - t1);
  totalMs.push(t2 - t0);
  findings = found.length;
  subjects = f.subjects.length;
}

// Naive: one Engine per rule with json-rules-engine defaults (JSONPath), one run per subject of the rule's scope.
const subjectsOf = computeFacts(later, tracked, limits).subjects;
const engines = loaded.rules.map((r) => {
  const engine = new Engine([], { allowUndefinedFacts: true });
  engine.addRule({ conditions: structuredClone(r.conditions) as never, event: { type: r.id } });
  return { rule: r, engine };
});
const naiveMs: number[] = [];
let naiveFindings = 0;
for (let i = 0; i < 12; i++) {
  const t0 = performance.now();
  let n = 0;
  for (const { rule, engine } of engines) {
    for (const s of subjectsOf) {
      if (s.scope !== rule.scope) continue;
      const { events } = await engine.run({ ...s.facts });
      n += events.length;
    }
  }
  if (i >= 2) naiveMs.push(performance.now() - t0);
  naiveFindings = n;
}

const h = REFERENCE_HOST;
console.log(`reference host: ${h.gpus} GPUs x ${h.migPerGpu} MIG, ${h.processes} processes (${h.gpuProcesses} on GPUs), ${h.containers} containers, ${h.users} users`);
console.log(`subjects: ${subjects}, rules: ${loaded.rules.length}, findings: ${findings} (naive base-condition matches: ${naiveFindings})`);
console.log(`median per snapshot: facts ${median(factsMs).toFixed(3)} ms + rules ${median(evalMs).toFixed(3)} ms = ${median(totalMs).toFixed(3)} ms   (target <= 1 ms)`);
console.log(`naive (json-rules-engine run per subject per rule, default JSONPath): ${median(naiveMs).toFixed(2)} ms`);
console.log(`ratio: ${(median(naiveMs) / median(totalMs)).toFixed(1)}x   (target >= 20x)`);
