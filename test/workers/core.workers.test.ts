// The real evaluation pipeline inside workerd: the default rule pack (loaded from its JSON text, no fs), facts,
// the compiled evaluator and the alert state machine, behind the Hono app on the memory store. Proves the whole
// service core, not just the HTTP layer, runs on Cloudflare Workers.
import { describe, expect, it } from 'vitest';
import { DEFAULT_USER_LIMITS, type LimitsView } from '../../src/engine/facts/limits-view.ts';
import { loadRules } from '../../src/engine/rules/load.ts';
import { createCore } from '../../src/service/ingest.ts';
import { createRuleSet, packLoadOptions } from '../../src/service/rule-set-from-pack.ts';
import { bearer, testApp, TOKENS } from '../../src/server/test-support.ts';
import { proc, snapshot, t } from '../support/snapshot-factory.ts';

// import.meta.glob is Vite's (vitest transforms this file); typed locally to keep tsconfig free of vite/client.
const ruleTexts = (import.meta as ImportMeta & { glob: (pattern: string, options: object) => Record<string, unknown> }).glob('../../rules/*.json', { eager: true, query: '?raw', import: 'default' }) as Record<string, string>;

const limits: LimitsView = {
  forUser: () => DEFAULT_USER_LIMITS,
  forContainerType: () => null,
  probeIntervalS: 30,
  hostSilentAfterIntervals: 3,
  fairShareHalfLifeH: 24,
};

describe('the real core inside workerd', () => {
  it('loads the default pack from text and fires rules on an ingested snapshot', async () => {
    const files = Object.entries(ruleTexts).filter(([path]) => !path.endsWith('.schema.json')).map(([path, text]) => ({ path, text }));
    const loaded = loadRules(files, packLoadOptions());
    expect(loaded.problems).toEqual([]);
    expect(loaded.rules.length).toBeGreaterThanOrEqual(17);
    const rules = createRuleSet(loaded.rules);
    const { app } = testApp({ core: (store) => createCore({ store, rules, limits }) });
    const body = snapshot(t(0), { host: 'ds01', gpuProcesses: [proc(4242, { user: 'h.baker@hertie-school.lan' })] });
    const res = await app.request('/v1/snapshots', { method: 'POST', body: JSON.stringify(body), headers: { ...bearer(TOKENS.ds01), 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as { accepted: boolean; alerts: { rule: string; state: string; labels: Record<string, string> }[] };
    expect(reply.accepted).toBe(true);
    expect(reply.alerts.map((a) => [a.rule, a.state, a.labels.pid])).toEqual([['untracked-host-gpu-process', 'pending', '4242']]);
  });
});
