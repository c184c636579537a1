// Build-time validation of the Worker pack: every problem fails the build with its file and place; the module written
// is plain data that evaluates back to the same values.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/limits/config-problem.ts';
import { compileWorkerPack, packModule, valueSource, type WorkerPackSources } from './worker-pack-compile.ts';

const LIMITS = { file: 'resource-limits.yaml', text: readFileSync('config/resource-limits.example.yaml', 'utf8') };
const RULE = { path: 'rules/idle.json', text: readFileSync('rules/idle-gpu-container.json', 'utf8') };
const sources = (over: Partial<WorkerPackSources> = {}): WorkerPackSources => ({ rules: [RULE], limits: LIMITS, notifications: null, users: null, ...over });

/** Evaluates JavaScript source of plain data (what the generated module holds) as a module of its own. */
const evaluate = async (source: string): Promise<unknown> => ((await import(`data:text/javascript,${encodeURIComponent(`export default ${source};`)}`)) as { default: unknown }).default;

describe('compileWorkerPack', () => {
  it('returns the validated rules and limits, and the files it was given', () => {
    const routing = { file: 'notifications.yaml', text: 'route: {}' };
    const { pack, warnings } = compileWorkerPack(sources({ notifications: routing }));
    expect(pack.ruleFiles).toEqual(['rules/idle.json']);
    expect(pack.rules.map((r) => r.id)).toEqual(['idle-gpu-container']);
    expect(pack.limits.file).toBe('resource-limits.yaml');
    expect(pack.notifications).toBe(routing);
    expect(warnings).toEqual([]);
  });

  it('lists every rule problem with its file', () => {
    const broken = { path: 'rules/bad.json', text: '{"id": ' };
    expect(() => compileWorkerPack(sources({ rules: [RULE, broken] }))).toThrow(/the rules have 1 problem\(s\):\n.*rules\/bad\.json/);
  });

  it('refuses an empty pack', () => {
    expect(() => compileWorkerPack(sources({ rules: [] }))).toThrow('the rule pack is empty');
  });

  it('fails on a limits error with the file, line and key', () => {
    const limits = { file: 'resource-limits.yaml', text: 'defaults:\n  max_gpu_equivalents: lots\n' };
    let error: unknown;
    try {
      compileWorkerPack(sources({ limits }));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as Error).message)).toMatch(/resource-limits\.yaml:2: defaults\.max_gpu_equivalents/);
  });

  it('returns the limits warnings, formatted', () => {
    const limits = { file: 'resource-limits.yaml', text: LIMITS.text.replace('    max_gpu_equivalents: 2.0\n', '    max_gpu_equivalents: 2.0\n    max_gpu_slots: 3\n') };
    const { warnings } = compileWorkerPack(sources({ limits }));
    expect(limits.text).toContain('max_gpu_slots: 3');
    expect(warnings).toEqual([expect.stringMatching(/^resource-limits\.yaml:\d+: groups\.student\.max_gpu_slots: legacy alias has no effect/)]);
  });
});

describe('valueSource', () => {
  it('writes plain data, Maps included, that evaluates to an equal value', async () => {
    const value = { a: [1, 'two', null, true], m: new Map([['k', { deep: new Map([[1, []]]) }]]), s: 'quote " and \\ and \u2028', e: {}, u: undefined };
    expect(await evaluate(valueSource(value))).toStrictEqual({ a: [1, 'two', null, true], m: new Map([['k', { deep: new Map([[1, []]]) }]]), s: 'quote " and \\ and \u2028', e: {} });
  });

  it('refuses what plain data cannot carry', () => {
    expect(() => valueSource({ d: new Date(0) })).toThrow('cannot bundle a Date');
    expect(() => valueSource([Number.NaN])).toThrow('cannot bundle NaN');
    expect(() => valueSource({ f: () => 1 })).toThrow('cannot bundle');
    expect(() => valueSource(new Set([1]))).toThrow('cannot bundle a Set');
  });

  it('the whole compiled pack survives the round trip', async () => {
    const { pack } = compileWorkerPack(sources());
    const module = packModule(pack, 'test');
    const literal = module.slice(module.indexOf('= ') + 2, module.lastIndexOf(';'));
    expect(await evaluate(literal)).toStrictEqual(pack);
  });
});
