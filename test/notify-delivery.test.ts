// Delivery against real parts: the pipeline (createCore, the unmanaged-gpu-container rule of the default pack) queues
// outbox rows in a REAL SQLite file; the delivery worker sends them through the REAL Slack notifier (@slack/webhook,
// via the notifier registry and renderMessage) to a REAL loopback webhook receiver; routing comes from an inline
// notifications.yaml (webhook URLs resolved by the real parser, recipients and destinations by the service's
// functions). The wall clock is used where a gap must be observed on the receiver (rate limit, Retry-After, timeout);
// a fake clock where only scheduling is asserted (outage, restart, secrets), so those run fast and exactly.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { routingFrom } from '../src/config/routing/test-support.ts';
import type { RoutingConfig } from '../src/config/routing/types.ts';
import { createDeliveryWorker, type DeliveryDeps } from '../src/notify/deliver.ts';
import { createNotifierRegistry } from '../src/notify/registry.ts';
import { renderMessage } from '../src/notify/render/render.ts';
import { createCore } from '../src/service/ingest.ts';
import { createNotificationService, destinationFromRouting, muteCheck, recipientsFromRouting, SLACK_MIN_GAP_MS } from '../src/service/notifications.ts';
import { createRuleSet } from '../src/service/rule-set-from-pack.ts';
import type { Container } from '../src/snapshot/schema.ts';
import type { NotificationLogEntry, OutboxItem } from '../src/store/store.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { DEFAULT_RULES, testLimits } from './support/pack.ts';
import { container, snapshot } from './support/snapshot-factory.ts';
import { closedPort, startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from './support/webhook-receiver.ts';

const RULE = 'unmanaged-gpu-container';
/** Only the rule under test: an unmanaged `--gpus all` container fires at once (for: 0s), one alert per container. */
const RULES = createRuleSet(DEFAULT_RULES.filter((r) => r.id === RULE));
const T0 = Date.parse('2026-11-25T10:00:00.000Z');
const FAR_FUTURE = '2100-01-01T00:00:00.000Z';
const FAST_RETRY = { baseMs: 200, maxMs: 5_000, maxAttempts: 20 };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A container started with `--gpus all` outside DS01 (no owner labels). */
function unmanaged(name: string): Container {
  return container(name, null, { gpu: { requested: 'all', count: null, deviceIds: [], uuids: [], via: 'device-requests' } });
}

/** A webhook path shaped like Slack's, with a secret last segment unique to the test. */
function secretPath(tag: string): { path: string; token: string } {
  const token = `${tag}Tok${Math.random().toString(36).slice(2, 12)}Zq`;
  return { path: `/services/T0GWTEST/B0GWTEST/${token}`, token };
}

/** An inline notifications.yaml: every receiver a Slack webhook, one group per alert name and container. */
function routingYaml(receivers: { name: string; url: string }[], routes: string[] = []): Promise<RoutingConfig> {
  const first = receivers[0]?.name ?? 'none';
  return routingFrom(
    [
      'route:',
      `  receiver: ${first}`,
      '  group_by: [alertname, container]',
      '  group_wait: 0s',
      '  group_interval: 1s',
      '  repeat_interval: 4h',
      ...(routes.length > 0 ? ['  routes:', ...routes.map((r) => `    - ${r}`)] : []),
      'receivers:',
      ...receivers.flatMap((r) => [`  - name: ${r.name}`, `    slack: {webhook_url: "${r.url}"}`]),
    ].join('\n'),
  );
}

/** A clock the whole service shares: fake (advanced by hand) or the wall clock. */
interface TestClock {
  now: () => Date;
  advance: (ms: number) => void;
}
function fakeClock(): TestClock {
  let t = T0;
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}
const wallClock: TestClock = { now: () => new Date(), advance: () => undefined };

/** The service's notification side, wired as `serve` wires it, but with a chosen clock, retry policy and timeout. */
function openService(opts: { path: string; routing: RoutingConfig; clock: TestClock; gen: string; logs: string[]; retry?: DeliveryDeps['retry']; timeoutMs?: number }) {
  const log = (line: string) => opts.logs.push(line);
  const store = openSqliteStore(opts.path);
  const registry = createNotifierRegistry({ slack: { timeoutMs: opts.timeoutMs ?? 2_000 }, smtp: null });
  let ids = 0;
  const core = createCore({
    store, rules: RULES, limits: testLimits(), recipientsOf: recipientsFromRouting(opts.routing, null, log), clock: opts.clock.now,
    newId: () => `${opts.gen}-${String(++ids).padStart(4, '0')}`, log,
  });
  const worker = createDeliveryWorker({
    store,
    clock: opts.clock.now,
    destinationOf: destinationFromRouting(opts.routing),
    send: (group, destination) => registry.forReceiver(group.receiver).send(renderMessage(group, { mention: destination.kind === 'slack' ? destination.mention : null }), destination),
    mutedBy: muteCheck(store),
    minGapMs: (key) => (key.startsWith('slack:') ? SLACK_MIN_GAP_MS : 0),
    retry: opts.retry ?? FAST_RETRY,
    log,
  });
  return {
    store,
    worker,
    /** A snapshot with these unmanaged containers, taken and received now. */
    ingest: async (names: string[]) => {
      const at = opts.clock.now();
      const result = await core.ingest(snapshot(at.toISOString(), { containers: names.map(unmanaged) }), at);
      expect(result.accepted).toBe(true);
    },
    queued: (): Promise<OutboxItem[]> => store.dueOutbox(FAR_FUTURE, 1000),
    log: (): Promise<NotificationLogEntry[]> => store.listNotifications({ limit: 1000 }),
    close: async () => {
      await registry.close();
      await store.close();
    },
  };
}
type Service = ReturnType<typeof openService>;

/** The containers a message is about (job names in its text and blocks). */
function jobsIn(r: ReceivedRequest): string[] {
  return [...new Set(r.body.match(/job\d+/g) ?? [])].sort();
}
/** `job3:firing` / `job0:resolved` for a one-alert message. */
function describeRequest(r: ReceivedRequest): string {
  const text = (r.json as { text?: string } | undefined)?.text ?? '';
  return `${jobsIn(r).join('+')}:${/resolved/i.test(text) ? 'resolved' : 'firing'}`;
}

/** Wall-clock driver: a worker pass every `stepMs` until `done`, failing after `timeoutMs`. */
async function drive(pass: () => Promise<unknown>, done: () => boolean | Promise<boolean>, timeoutMs: number, stepMs = 20): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`not done after ${timeoutMs} ms`);
    await pass();
    await sleep(stepMs);
  }
}

/** Fake-clock driver: `n` worker passes, the clock moving `stepMs` after each. */
async function passes(svc: Service, clock: TestClock, n: number, stepMs = 1_000): Promise<void> {
  for (let i = 0; i < n; i++) {
    await svc.worker.tick();
    clock.advance(stepMs);
  }
}

/** The secret forms of a webhook URL that must never be logged. */
function secretsOf(url: string, token: string): string[] {
  const u = new URL(url);
  return [url, u.pathname, token, encodeURIComponent(token)];
}

/** No secret in any log entry (detail, receiver, group key) nor in any worker/core log line. */
function expectNoSecrets(entries: readonly NotificationLogEntry[], lines: readonly string[], secrets: readonly string[]): void {
  const text = [...entries.map((e) => JSON.stringify(e)), ...lines].join('\n');
  for (const s of secrets) expect(text, `a log holds the secret ${s}`).not.toContain(s);
}

function byStatus(entries: readonly NotificationLogEntry[], fp: string): string[] {
  // Newest first from the store: reverse to tell the story in order (entries of the same `at` keep insertion order).
  return entries.filter((e) => e.fingerprints.includes(fp)).reverse().map((e) => e.status);
}

describe('notification delivery: real Slack notifier, real webhook receiver, outbox in a real SQLite file', () => {
  let dir: string;
  let receiver: WebhookReceiver;
  const cleanups: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gw-notify-delivery-'));
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function service(opts: Partial<Parameters<typeof openService>[0]> & { routing: RoutingConfig; clock: TestClock; logs: string[] }): Promise<Service> {
    const svc = openService({ path: join(dir, 'gw.sqlite'), gen: 'a', ...opts });
    cleanups.push(svc.close);
    return svc;
  }

  it('(a) an outage (500 on every request) keeps everything queued with retried entries; on recovery all is delivered once', async () => {
    const { path, token } = secretPath('a');
    const url = receiver.url(path);
    const clock = fakeClock();
    const logs: string[] = [];
    const svc = await service({ routing: await routingYaml([{ name: 'admins-slack', url }]), clock, logs });
    receiver.fallback = 500;

    // Four alerts fire during the outage, two seconds apart; the worker runs once a second.
    const created: string[] = [];
    for (let s = 0; s < 12; s++) {
      if (s % 2 === 0 && s <= 6) {
        created.push(`job${s / 2 + 1}`);
        await svc.ingest([...created]);
      }
      await passes(svc, clock, 1);
    }
    const fps = new Map((await svc.store.listAlerts({ rule: RULE })).map((a) => [a.labels.containerName ?? '', a.fingerprint]));
    expect([...fps.keys()].sort()).toEqual(['job1', 'job2', 'job3', 'job4']);

    // Every request failed; nothing is lost: all four are still queued, each tried at least once, each with 'retried'
    // entries and no 'sent' one. At most one request per second reached the webhook even while failing.
    const failed = receiver.requests.length;
    expect(failed).toBeGreaterThanOrEqual(8);
    const queued = await svc.queued();
    expect(queued).toHaveLength(4);
    expect(queued.every((q) => q.attempts >= 1)).toBe(true);
    const during = await svc.log();
    for (const fp of fps.values()) {
      const statuses = byStatus(during, fp);
      expect(statuses[0]).toBe('queued');
      expect(statuses.filter((s) => s === 'retried').length).toBeGreaterThanOrEqual(1);
      expect(statuses).not.toContain('sent');
      expect(during.filter((e) => e.fingerprints.includes(fp) && e.status === 'retried').every((e) => e.detail.startsWith('slack: HTTP 500'))).toBe(true);
    }
    // The first attempts reached the webhook in the order the alerts were created.
    const firstSeen = [...new Set(receiver.requests.flatMap(jobsIn))];
    expect(firstSeen).toEqual(['job1', 'job2', 'job3', 'job4']);

    // Recovery: every queued item goes out exactly once, one per second, then nothing more.
    receiver.fallback = 200;
    for (let i = 0; i < 60 && (await svc.queued()).length > 0; i++) await passes(svc, clock, 1);
    expect(await svc.queued()).toEqual([]);
    await passes(svc, clock, 5, 10 * 60_000);
    const delivered = receiver.requests.slice(failed).map(describeRequest);
    expect([...delivered].sort()).toEqual(['job1:firing', 'job2:firing', 'job3:firing', 'job4:firing']);
    const after = await svc.log();
    for (const fp of fps.values()) expect(byStatus(after, fp).filter((s) => s === 'sent')).toHaveLength(1);
    // (Delivery after recovery follows each item's own retry schedule, not creation order: see the test below.)
    expect(delivered).toHaveLength(4);

    expectNoSecrets(after, logs, secretsOf(url, token));
  });

  // DESIGN GAP (src/notify/deliver.ts): backoff is per outbox item, although an outage is per webhook. After a long
  // outage each notice sits in its own backoff (up to retry.maxMs, 10 min by default), so when the webhook recovers
  // nothing goes out until each item's next attempt comes round, and the oldest notice (longest backoff) goes last:
  // neither prompt nor "in order of creation". Production settings (createNotificationService: base 2 s, max 10 min,
  // worker pass every 5 s here), a 20-minute outage: job1 fires at minute 0, job2 at minute 15, Slack is back at
  // minute 20. Actual: job2 is delivered ~230 s after the recovery, job1 ~445 s after it.
  // `it.fails` keeps the suite green; make it `it` once fixed.
  it.fails('GAP: after an outage the queued notices go out in order of creation, promptly', async () => {
    const { path } = secretPath('gap');
    const routing = await routingYaml([{ name: 'admins-slack', url: receiver.url(path) }]);
    const clock = fakeClock();
    const logs: string[] = [];
    const svc = await service({ routing, clock, logs });
    const notifications = createNotificationService({ store: svc.store, routing, clock: clock.now, log: (l) => logs.push(l) });
    cleanups.push(notifications.close);
    receiver.fallback = 500;

    await svc.ingest(['job1']);
    const step = 5_000;
    for (let t = 0; t < 20 * 60_000; t += step) {
      if (t === 15 * 60_000) await svc.ingest(['job1', 'job2']);
      await notifications.deliver();
      clock.advance(step);
    }
    receiver.fallback = 200;
    const recoveredAt = clock.now().getTime();
    for (let i = 0; i < 400 && (await svc.queued()).length > 0; i++) {
      await notifications.deliver();
      clock.advance(step);
    }
    expect(await svc.queued()).toEqual([]);
    const sent = (await svc.log()).filter((e) => e.status === 'sent').reverse();
    const fps = new Map((await svc.store.listAlerts({ rule: RULE })).map((a) => [a.fingerprint, a.labels.containerName ?? '']));
    const story = sent.map((e) => ({ job: fps.get(e.fingerprints[0] ?? ''), afterRecoveryS: (Date.parse(e.at) - recoveredAt) / 1000 }));
    // Expected: job1 then job2, each within a few seconds of the recovery.
    // Actual: [{job: 'job2', afterRecoveryS: 230}, {job: 'job1', afterRecoveryS: 445}].
    expect(story.map((s) => s.job)).toEqual(['job1', 'job2']);
    expect(Math.max(...story.map((s) => s.afterRecoveryS))).toBeLessThanOrEqual(10);
  });

  // BUG (src/notify/deliver.ts + plan.ts): retries bypass a group's order. A firing notice in retry backoff is
  // overtaken by the same alert's later 'resolved' notice: the resolved one becomes due first (group_wait after it was
  // queued), goes out alone, and the stale 'firing' message follows it, so the channel ends on "firing" for an alert
  // that has resolved. Here: Slack 500s twice on the firing notice (backoff 2 s, then 4 s), the container goes away
  // and Slack recovers before the firing retry is due. `it.fails` keeps the suite green; make it `it` once fixed.
  it.fails('BUG: a resolved notice never reaches the webhook before the firing notice of the same alert', async () => {
    const { path } = secretPath('order');
    const clock = fakeClock();
    const logs: string[] = [];
    const svc = await service({ routing: await routingYaml([{ name: 'admins-slack', url: receiver.url(path) }]), clock, logs, retry: { baseMs: 2_000, maxMs: 60_000, maxAttempts: 20 } });
    receiver.script(500, 500);

    await svc.ingest(['job1']); // t=0: fires, queued for now; attempt 1 → 500, retry at t=2 s
    await passes(svc, clock, 3); // t=2: attempt 2 → 500, retry at t=6 s
    await svc.ingest([]); // t=3: resolved, queued for now (the group was never told, group_wait 0)
    await passes(svc, clock, 10); // Slack is back (fallback 200)

    expect(await svc.queued()).toEqual([]);
    const seen = receiver.requests.map(describeRequest);
    expect(seen.slice(0, 2)).toEqual(['job1:firing', 'job1:firing']); // the two failures
    // Expected: the firing notice, then the resolved one. Actual: ['job1:resolved', 'job1:firing'].
    expect(seen.slice(2)).toEqual(['job1:firing', 'job1:resolved']);
  });

  it('(b) 429 with Retry-After: 2 → the next request to that webhook comes no sooner than 2 s later', async () => {
    const { path, token } = secretPath('b');
    const url = receiver.url(path);
    const logs: string[] = [];
    const svc = await service({ routing: await routingYaml([{ name: 'admins-slack', url }]), clock: wallClock, logs });
    receiver.script({ status: 429, retryAfterS: 2 });

    await svc.ingest(['job1', 'job2']); // two groups on one webhook
    await svc.worker.tick(); // the first group gets the 429; the second waits for the channel
    expect(receiver.requests).toHaveLength(1);
    const retried = (await svc.log()).find((e) => e.status === 'retried');
    expect(retried?.detail).toMatch(/^slack: HTTP 429 .*\(rate limited\)$/);
    const item = (await svc.queued()).find((q) => q.attempts === 1);
    // Scheduled 2 s after the answer (the 200 ms backoff is overridden by Retry-After).
    expect(Date.parse(item?.nextAttemptAt ?? '') - Date.parse(retried?.at ?? '')).toBe(2_000);

    await drive(() => svc.worker.tick(), async () => receiver.requests.length >= 3 && (await svc.queued()).length === 0, 8_000);
    const [first, second, third] = receiver.requests.map((r) => r.at.getTime());
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(2_000 - 10);
    expect((second ?? 0) - (first ?? 0)).toBeLessThan(2_000 + 1_500); // honoured, not overdone
    expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(SLACK_MIN_GAP_MS - 10);
    expect(receiver.requests.map(describeRequest).sort()).toEqual(['job1:firing', 'job1:firing', 'job2:firing'].sort());
    expectNoSecrets(await svc.log(), logs, secretsOf(url, token));
  });

  it('(c) a burst of 5 groups reaches one webhook at most once per second (the service as `serve` builds it)', async () => {
    const { path, token } = secretPath('c');
    const url = receiver.url(path);
    const routing = await routingYaml([{ name: 'admins-slack', url }]);
    const logs: string[] = [];
    const svc = await service({ routing, clock: wallClock, logs });
    const notifications = createNotificationService({ store: svc.store, routing, clock: () => new Date(), log: (l) => logs.push(l) });
    cleanups.push(notifications.close);

    await svc.ingest(['job1', 'job2', 'job3', 'job4', 'job5']);
    expect(await svc.queued()).toHaveLength(5);
    await drive(() => notifications.deliver(), async () => (await svc.queued()).length === 0, 10_000);

    const times = receiver.requests.map((r) => r.at.getTime());
    expect(times).toHaveLength(5);
    for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(SLACK_MIN_GAP_MS - 10);
    expect((times[4] ?? 0) - (times[0] ?? 0)).toBeLessThan(4 * SLACK_MIN_GAP_MS + 1_500); // and no slower than needed
    expect(receiver.requests.map(describeRequest).sort()).toEqual(['job1', 'job2', 'job3', 'job4', 'job5'].map((j) => `${j}:firing`));
    expectNoSecrets(await svc.log(), logs, secretsOf(url, token));
  });

  it('(c) two webhooks are rate-limited independently', async () => {
    const a = secretPath('ca');
    const b = secretPath('cb');
    const routing = await routingYaml(
      [{ name: 'hook-a', url: receiver.url(a.path) }, { name: 'hook-b', url: receiver.url(b.path) }],
      [`{matchers: [alertname=${RULE}], receiver: hook-a, continue: true}`, `{matchers: [alertname=${RULE}], receiver: hook-b}`],
    );
    const logs: string[] = [];
    const svc = await service({ routing, clock: wallClock, logs });
    const notifications = createNotificationService({ store: svc.store, routing, clock: () => new Date(), log: (l) => logs.push(l) });
    cleanups.push(notifications.close);

    await svc.ingest(['job1', 'job2', 'job3']);
    expect(await svc.queued()).toHaveLength(6);
    await drive(() => notifications.deliver(), async () => (await svc.queued()).length === 0, 10_000);
    for (const hook of [a, b]) {
      const times = receiver.requests.filter((r) => r.path === hook.path).map((r) => r.at.getTime());
      expect(times).toHaveLength(3);
      for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(SLACK_MIN_GAP_MS - 10);
    }
    // Both hooks were served in the same ~2 s, not one after the other.
    const all = receiver.requests.map((r) => r.at.getTime());
    expect(Math.max(...all) - Math.min(...all)).toBeLessThan(2 * SLACK_MIN_GAP_MS + 1_500);
  });

  // BUG (src/service/notifications.ts recipientsFromRouting): the rate-limit channel is `slack:<receiver name>`, not
  // the webhook. src/store/store.ts documents OutboxItem.channelKey as "the Slack webhook (as a hash, never the URL)"
  // and SLACK_MIN_GAP_MS as "one message per second per incoming webhook", but two receivers configured with the
  // same webhook URL get two channels, so that webhook receives two messages in the same instant.
  it.fails('BUG: two receivers sharing one webhook URL still get at most one message per second on it', async () => {
    const { path } = secretPath('shared');
    const url = receiver.url(path);
    const routing = await routingYaml(
      [{ name: 'admins-slack', url }, { name: 'ops-slack', url }],
      [`{matchers: [alertname=${RULE}], receiver: ops-slack, continue: true}`, `{matchers: [alertname=${RULE}], receiver: admins-slack}`],
    );
    const logs: string[] = [];
    const svc = await service({ routing, clock: wallClock, logs });
    const notifications = createNotificationService({ store: svc.store, routing, clock: () => new Date(), log: (l) => logs.push(l) });
    cleanups.push(notifications.close);

    await svc.ingest(['job1']);
    expect((await svc.queued()).map((q) => q.receiver).sort()).toEqual(['admins-slack', 'ops-slack']);
    await drive(() => notifications.deliver(), async () => (await svc.queued()).length === 0, 5_000);
    const [first, second] = receiver.requests.map((r) => r.at.getTime());
    expect(receiver.requests).toHaveLength(2);
    // Actual: both arrive within a few milliseconds.
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(SLACK_MIN_GAP_MS - 10);
  });

  it('(d) a webhook that never answers times out, is logged as retried, and is retried later', async () => {
    const { path, token } = secretPath('d');
    const url = receiver.url(path);
    const logs: string[] = [];
    const svc = await service({ routing: await routingYaml([{ name: 'admins-slack', url }]), clock: wallClock, logs, timeoutMs: 300 });
    receiver.script('hang');

    await svc.ingest(['job1']);
    const started = Date.now();
    expect(await svc.worker.tick()).toBe(0);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(290); // it waited for the timeout…
    expect(took).toBeLessThan(2_000); // …and no longer
    const [item] = await svc.queued();
    expect(item?.attempts).toBe(1);
    const fp = (await svc.store.listAlerts({ rule: RULE }))[0]?.fingerprint ?? '';
    expect((await svc.log()).find((e) => e.status === 'retried')?.detail).toBe('slack: no answer within 300 ms (timeout)');
    expect(logs).toContain('notify: admins-slack: slack: no answer within 300 ms (timeout) (will retry)');

    await drive(() => svc.worker.tick(), async () => (await svc.queued()).length === 0, 5_000);
    const [first, second] = receiver.requests.map((r) => r.at.getTime());
    expect(receiver.requests).toHaveLength(2);
    // Retried after the timeout and the webhook's 1 s gap, not hammered.
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(300 + SLACK_MIN_GAP_MS - 10);
    expect(byStatus(await svc.log(), fp)).toEqual(['queued', 'retried', 'sent']);
    expectNoSecrets(await svc.log(), logs, secretsOf(url, token));
  });

  it('(e) across a restart (store closed, a new store and worker on the same file) everything is delivered exactly once', async () => {
    const { path, token } = secretPath('e');
    const url = receiver.url(path);
    const routing = await routingYaml([{ name: 'admins-slack', url }]);
    const clock = fakeClock();
    const logs: string[] = [];
    const dbPath = join(dir, 'restart.sqlite');

    // Before: job0 fires and is delivered while the webhook is up.
    const before = openService({ path: dbPath, routing, clock, gen: 'a', logs });
    await before.ingest(['job0']);
    await passes(before, clock, 1);
    expect(receiver.requests.map(describeRequest)).toEqual(['job0:firing']);

    // The webhook goes down (500). job1..job3 fire and job0 resolves; all are tried and fail.
    receiver.fallback = 500;
    clock.advance(60_000);
    await before.ingest(['job1', 'job2', 'job3']);
    await passes(before, clock, 8);
    const pending = await before.queued();
    expect(pending).toHaveLength(4);
    expect(pending.every((q) => q.attempts >= 1)).toBe(true);
    const downRequests = receiver.requests.length;
    expect(downRequests).toBeGreaterThan(4);
    await before.close();

    // Restart: a new store on the same file, a new core and worker (fresh ids, fresh rate-limit state).
    receiver.fallback = 200;
    const after = openService({ path: dbPath, routing, clock, gen: 'b', logs });
    cleanups.push(after.close);
    const reopened = await after.queued();
    expect(reopened.map((q) => [q.id, q.dedupKey, q.attempts]).sort()).toEqual(pending.map((q) => [q.id, q.dedupKey, q.attempts]).sort());
    for (let i = 0; i < 20 && (await after.queued()).length > 0; i++) await passes(after, clock, 1);
    expect(await after.queued()).toEqual([]);

    // The pipeline queues the very same changes again (a replayed evaluation): skipped, their dedup keys were sent.
    await after.store.commitEvaluation({ hostRecord: null, upsert: [], remove: [], outbox: pending.map((q) => ({ ...q, id: `replay-${q.id}`, attempts: 0 })), log: [] });
    expect(await after.queued()).toEqual([]);
    // New snapshots with the same state change nothing.
    clock.advance(60_000);
    await after.ingest(['job1', 'job2', 'job3']);
    await passes(after, clock, 5, 60_000);

    const afterRestart = receiver.requests.slice(downRequests).map(describeRequest);
    expect([...afterRestart].sort()).toEqual(['job0:resolved', 'job1:firing', 'job2:firing', 'job3:firing']);
    // Counted over the whole run: each notice (= dedup key) delivered exactly once.
    const successful = [receiver.requests[0], ...receiver.requests.slice(downRequests)].map((r) => (r === undefined ? '' : describeRequest(r)));
    const counts = new Map<string, number>();
    for (const d of successful) counts.set(d, (counts.get(d) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({ 'job0:firing': 1, 'job0:resolved': 1, 'job1:firing': 1, 'job2:firing': 1, 'job3:firing': 1 });
    const log = await after.log();
    const fps = new Map((await after.store.listAlerts({ rule: RULE })).map((a) => [a.labels.containerName ?? '', a.fingerprint]));
    expect(byStatus(log, fps.get('job0') ?? '').filter((s) => s === 'sent')).toHaveLength(2);
    for (const j of ['job1', 'job2', 'job3']) expect(byStatus(log, fps.get(j) ?? '').filter((s) => s === 'sent')).toHaveLength(1);
    expectNoSecrets(log, logs, secretsOf(url, token));
  });

  it('(f) the webhook URL never appears in the log, the worker log lines or the database file', async () => {
    // Three webhooks: A echoes its URL and token in 500 bodies, then hangs once, then accepts; B refuses connections
    // (nothing listens on its port); C answers 404 with its URL in the body (a permanent failure).
    const a = secretPath('fa');
    const b = secretPath('fb');
    const c = secretPath('fc');
    const urlA = receiver.url(a.path);
    const urlB = `http://127.0.0.1:${await closedPort()}${b.path}`;
    const urlC = receiver.url(c.path);
    const routing = await routingYaml(
      [{ name: 'hook-a', url: urlA }, { name: 'hook-b', url: urlB }, { name: 'hook-c', url: urlC }],
      [
        `{matchers: [alertname=${RULE}], receiver: hook-a, continue: true}`,
        `{matchers: [alertname=${RULE}], receiver: hook-b, continue: true}`,
        `{matchers: [alertname=${RULE}], receiver: hook-c}`,
      ],
    );
    // Requests arrive A then C within a pass (B never reaches the receiver); script answers in arrival order.
    receiver.script({ status: 500, body: `upstream error for ${urlA}` }, { status: 404, body: `no_service: ${urlC} (${c.token})` }, { status: 500, body: `token ${a.token} rejected` }, 'hang');
    const clock = fakeClock();
    const logs: string[] = [];
    const dbPath = join(dir, 'secrets.sqlite');
    const svc = openService({ path: dbPath, routing, clock, gen: 'f', logs, timeoutMs: 300, retry: { baseMs: 200, maxMs: 5_000, maxAttempts: 4 } });
    cleanups.push(svc.close);

    await svc.ingest(['job1']);
    await passes(svc, clock, 6);
    expect(await svc.queued()).toEqual([]);

    const log = await svc.log();
    const of = (receiverName: string) => log.filter((e) => e.receiver === receiverName).reverse();
    expect(of('hook-a').map((e) => e.status)).toEqual(['queued', 'retried', 'retried', 'retried', 'sent']);
    expect(of('hook-b').map((e) => e.status)).toEqual(['queued', 'retried', 'retried', 'retried', 'failed']);
    expect(of('hook-c').map((e) => e.status)).toEqual(['queued', 'failed']);
    // The echoed secrets were scrubbed, not the whole error dropped.
    expect(of('hook-a')[1]?.detail).toMatch(/^slack: HTTP 500 upstream error for \[redacted\]/);
    expect(of('hook-a')[2]?.detail).toMatch(/^slack: HTTP 500 token \[redacted\] rejected/);
    expect(of('hook-a')[3]?.detail).toBe('slack: no answer within 300 ms (timeout)');
    expect(of('hook-b')[1]?.detail).toBe('slack: request failed (ECONNREFUSED)');
    expect(of('hook-b')[4]?.detail).toBe('slack: request failed (ECONNREFUSED) (gave up)');
    expect(of('hook-c')[1]?.detail).toMatch(/^slack: HTTP 404 no_service: \[redacted\]/);
    expect(logs.filter((l) => l.startsWith('notify: hook-'))).not.toEqual([]);

    const secrets = [...secretsOf(urlA, a.token), ...secretsOf(urlB, b.token), ...secretsOf(urlC, c.token)];
    expectNoSecrets(log, logs, secrets);
    // Nor in the database: the outbox stores destinations without their secret (read the file and its WAL).
    const files = [dbPath, `${dbPath}-wal`].filter((f) => existsSync(f));
    expect(files).toContain(dbPath);
    for (const f of files) {
      const bytes = (await readFile(f)).toString('latin1');
      for (const s of [a.token, b.token, c.token, a.path, c.path]) expect(bytes.includes(s), `${f} holds ${s}`).toBe(false);
    }
  });
});
