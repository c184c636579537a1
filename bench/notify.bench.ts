// npm run bench:notify: 1,000 alerts fire at once across 100 users and 3 Slack webhooks. Prints how many messages
// grouping turns them into, how long the outbox takes to drain at the rate limits (simulated clock), and the alert
// pipeline's own overhead per alert transition (state machine + routing + outbox planning).
import type { Alert } from '../src/alerts/alert.ts';
import { transition } from '../src/alerts/transition.ts';
import { parseRoutingConfig } from '../src/config/routing/parse-routing.ts';
import { parseUserDirectory } from '../src/config/routing/parse-users.ts';
import type { Finding } from '../src/engine/finding.ts';
import { createDeliveryWorker } from '../src/notify/deliver.ts';
import { planChanges } from '../src/notify/plan.ts';
import { recipientsFromRouting, SLACK_MIN_GAP_MS } from '../src/service/notifications.ts';
import { createMemoryStore } from '../src/store/memory/memory-store.ts';

const USERS = 100;
const ALERTS_PER_USER = 10;
const RULES = ['idle-gpu-container', 'max-runtime', 'gpu-quota', 'container-count', 'untracked-host-gpu-process'];

const routing = await parseRoutingConfig(
  [
    'route:',
    '  receiver: admins-slack',
    '  group_by: [alertname]',
    '  group_wait: 30s',
    '  group_interval: 5m',
    '  routes:',
    "    - {matchers: ['severity=critical'], receiver: critical-slack, group_wait: 10s}",
    'receivers:',
    '  - {name: admins-slack, slack: {webhook_url: "https://hooks.example.invalid/services/A/B/admins"}}',
    '  - {name: critical-slack, slack: {webhook_url: "https://hooks.example.invalid/services/A/B/critical"}}',
    '  - {name: users-slack, slack: {webhook_url: "https://hooks.example.invalid/services/A/B/users"}}',
  ].join('\n'),
  { file: 'bench-notifications.yaml', baseDir: '.', env: {}, readTextFile: async () => '' },
);
const users = Array.from({ length: USERS }, (_, i) => `${228700 + i}@hertie-school.lan`);
const directory = parseUserDirectory(
  ['default: {slack_receiver: users-slack}', 'users:', ...users.map((u, i) => `  "${u}": {slack_member_id: U${String(i).padStart(8, '0')}}`)].join('\n'),
  { file: 'bench-users.yaml', routing },
);
const recipientsOf = recipientsFromRouting(routing, directory, () => undefined);

const findings: Finding[] = users.flatMap((user, u) =>
  Array.from({ length: ALERTS_PER_USER }, (_, k) => ({
    rule: RULES[k % RULES.length] ?? 'gpu-quota',
    severity: k % 7 === 0 ? ('critical' as const) : ('warning' as const),
    stage: null,
    forSec: 0,
    labels: { host: `gpu-${u % 4}`, user, container: `${String(u).padStart(4, '0')}${String(k).padStart(60, '0')}` },
    annotations: { summary: `alert ${k} of ${user}`, description: 'd' },
    notify: ['owner', 'admins'],
  })),
);
const now = new Date('2026-11-25T12:00:00.000Z');
const allRules = new Set(RULES);

// Pipeline overhead per alert transition: state machine + recipients + outbox rows for all 1,000, repeated.
const perAlertUs: number[] = [];
let outboxRows = 0;
for (let i = 0; i < 30; i++) {
  const t0 = performance.now();
  const result = transition([], { host: 'all', at: now, evaluatedRules: allRules, findings, resolvedRetentionMs: 86_400_000 });
  let n = 0;
  const plan = planChanges(result.changes, recipientsOf, new Map(), now, () => `id${++n}`);
  const elapsed = performance.now() - t0;
  if (i >= 5) perAlertUs.push((elapsed * 1000) / findings.length);
  outboxRows = plan.outbox.length;
}
perAlertUs.sort((a, b) => a - b);

// Drain the outbox on a simulated clock with the real worker and store; sending is instantaneous.
const store = createMemoryStore();
const first = transition([], { host: 'all', at: now, evaluatedRules: allRules, findings, resolvedRetentionMs: 86_400_000 });
let id = 0;
const plan = planChanges(first.changes, recipientsOf, new Map(), now, () => `o${++id}`);
await store.commitEvaluation({ hostRecord: null, upsert: first.upsert as Alert[], remove: [], outbox: plan.outbox, log: plan.log });
let clock = now.getTime();
const sent: { at: number; receiver: string; alerts: number; audience: string }[] = [];
const worker = createDeliveryWorker({
  store,
  clock: () => new Date(clock),
  destinationOf: (receiver, dest) => ({ kind: 'slack', webhookUrl: `https://hooks.example.invalid/${receiver}`, mention: dest.kind === 'slack' ? dest.mention : null }),
  send: async (group) => {
    sent.push({ at: clock, receiver: group.receiver, alerts: group.alerts.length, audience: group.audience });
    return { ok: true };
  },
  mutedBy: async () => null,
  minGapMs: () => SLACK_MIN_GAP_MS,
});
while ((await store.dueOutbox(new Date(clock + 3_600_000).toISOString(), 1)).length > 0) {
  await worker.tick();
  clock += 250;
}
const byReceiver = new Map<string, number[]>();
for (const s of sent) byReceiver.set(s.receiver, [...(byReceiver.get(s.receiver) ?? []), s.at]);
const maxPerSecond = Math.max(...[...byReceiver.values()].map((times) => Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length))));

console.log(`${findings.length} alerts firing at once, ${USERS} users, 3 Slack webhooks (node ${process.version})`);
console.log(`outbox rows: ${outboxRows} (one per alert and recipient)`);
console.log(`messages after grouping: ${sent.length} (${sent.filter((s) => s.audience === 'user').length} to the ${USERS} users: one per person, a few split where a group spans two 1,000-item delivery passes; ${sent.filter((s) => s.audience === 'admin').length} to admins, grouped by alert name)`);
for (const [receiver, times] of byReceiver) console.log(`  ${receiver}: ${times.length} messages, drained in ${((Math.max(...times) - now.getTime()) / 1000).toFixed(1)} s (simulated)`);
console.log(`max messages per second on one webhook: ${maxPerSecond}   (limit 1)`);
console.log(`pipeline overhead per alert transition: median ${(perAlertUs[Math.floor(perAlertUs.length / 2)] ?? 0).toFixed(1)} µs   (target <= 100 µs)`);
