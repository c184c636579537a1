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
import type { OutboxPayload } from '../src/notify/plan.ts';
import { createNotifierRegistry } from '../src/notify/registry.ts';
import { renderMessage } from '../src/notify/render/render.ts';
import { createCore } from '../src/service/ingest.ts';
import { destinationFromRouting, muteCheck, recipientsFromRouting, SLACK_MIN_GAP_MS } from '../src/service/notifications.ts';
import { createNotificationService } from '../src/service/notification-service.ts';
import { createRuleSet } from '../src/service/rule-set-from-pack.ts';
import type { Container } from '../src/snapshot/schema.ts';
import type { NotificationLogEntry, OutboxItem } from '../src/store/store.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { DEFAULT_RULES, testLimits } from './support/pack.ts';
import { container, snapshot } from './support/snapshot-factory.ts';
import { closedPort, startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from './support/webhook-receiver.ts';

const RULE = 'unmanaged-gpu-container';
/**
 * Only the rule under test: an unmanaged `--gpus all` container fires at once (for: 0s), one alert per container,
 * and resolves at once (keepFiringFor 0s: these tests are about delivery, not hysteresis).
 */
const RULES = createRuleSet(DEFAULT_RULES.filter((r) => r.id === RULE).map((r) => ({ ...r, keepFiringForSec: 0 })));
const T0 = Date.parse('2026-11-25T10:00:00.000Z');
const FAR_FUTURE = '2100-01-01T00:00:00.000Z';
const FAST_RETRY = { baseMs: 200, maxMs: 5_000, giveUpAfterMs: 86_400_000 };

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

/** `job3` for an outbox item (the container its alert is about). */
function jobOf(q: OutboxItem): string {
  return (JSON.parse(q.payload) as OutboxPayload).alert.labels.containerName ?? '';
}
/** `job3:firing` / `job0:resolved` for an outbox item. */
function describeItem(q: OutboxItem): string {
  return `${jobOf(q)}:${(JSON.parse(q.payload) as OutboxPayload).reason}`;
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

  it('(a) an outage (500 on every request): the webhook is probed on the channel backoff, nothing is lost, and on recovery the queue drains in order of creation', async () => {
    const { path, token } = secretPath('a');
    const url = receiver.url(path);
    const clock = fakeClock();
    const logs: string[] = [];
    const svc = await service({ routing: await routingYaml([{ name: 'admins-slack', url }]), clock, logs });
    receiver.fallback = 500;

    // Four alerts fire during the outage, two seconds apart (job1 at 0 s … job4 at 6 s); the worker runs once a second.
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
    const fp = (job: string) => fps.get(job) ?? '';

    // The CHANNEL backs off, not each item: one probe per backoff, min(5 s, 200 ms × 2^(failures−1)) after the last
    // failure, taken by the next 1 s pass: backoffs 0.2, 0.4, 0.8, 1.6, 3.2, 5 s → probes at 0, 1, 2, 3, 5, 9 s. Each
    // probe is the head of the queue (job1, queued first); the others wait behind it untried.
    const during = await svc.log();
    const failed = receiver.requests.length;
    expect(receiver.requests.map(describeRequest)).toEqual(Array(6).fill('job1:firing'));
    const retried = during.filter((e) => e.status === 'retried').reverse();
    expect(retried.map((e) => (Date.parse(e.at) - T0) / 1000)).toEqual([0, 1, 2, 3, 5, 9]);
    expect(retried.every((e) => e.fingerprints.length === 1 && e.fingerprints[0] === fp('job1') && e.detail === 'slack: HTTP 500 internal_error')).toBe(true);
    expect(byStatus(during, fp('job1'))).toEqual(['queued', ...Array(6).fill('retried')]);
    for (const job of ['job2', 'job3', 'job4']) expect(byStatus(during, fp(job))).toEqual(['queued']);
    expect(logs.filter((l) => l.startsWith('notify: admins-slack: '))).toEqual(Array(6).fill('notify: admins-slack: slack: HTTP 500 internal_error (will retry)'));

    // Nothing is lost and nothing is rescheduled: all four still queued, each with its ORIGINAL nextAttemptAt (its
    // creation time, group_wait 0); attempts count the probes.
    const queued = await svc.queued();
    expect(queued.map((q) => [jobOf(q), q.attempts, (Date.parse(q.nextAttemptAt) - T0) / 1000, q.nextAttemptAt === q.createdAt])).toEqual([
      ['job1', 6, 0, true],
      ['job2', 0, 2, true],
      ['job3', 0, 4, true],
      ['job4', 0, 6, true],
    ]);

    // Recovery at 12 s: the channel is next free at 9 + 5 = 14 s; from then on one message per second (the webhook's
    // gap), in order of creation, each exactly once; then nothing more.
    receiver.fallback = 200;
    for (let i = 0; i < 60 && (await svc.queued()).length > 0; i++) await passes(svc, clock, 1);
    expect(await svc.queued()).toEqual([]);
    await passes(svc, clock, 5, 10 * 60_000);
    expect(receiver.requests.slice(failed).map(describeRequest)).toEqual(['job1:firing', 'job2:firing', 'job3:firing', 'job4:firing']);
    const after = await svc.log();
    const sent = after.filter((e) => e.status === 'sent').reverse();
    expect(sent.map((e) => [e.fingerprints, (Date.parse(e.at) - T0) / 1000])).toEqual([
      [[fp('job1')], 14],
      [[fp('job2')], 15],
      [[fp('job3')], 16],
      [[fp('job4')], 17],
    ]);
    for (const job of ['job2', 'job3', 'job4']) expect(byStatus(after, fp(job))).toEqual(['queued', 'sent']);
    expect(byStatus(after, fp('job1'))).toEqual(['queued', ...Array(6).fill('retried'), 'sent']);

    expectNoSecrets(after, logs, secretsOf(url, token));
  });

  it('after a long outage the queued notices go out in order of creation, at the first probe after recovery (production backoff: 2 s doubling to 5 min)', async () => {
    const { path } = secretPath('gap');
    const routing = await routingYaml([{ name: 'admins-slack', url: receiver.url(path) }]);
    const clock = fakeClock();
    const logs: string[] = [];
    const svc = await service({ routing, clock, logs });
    // The service as `serve` builds it: default retry policy (base 2 s, max 5 min, give up after 24 h).
    const notifications = createNotificationService({ store: svc.store, routing, clock: clock.now, log: (l) => logs.push(l) });
    cleanups.push(notifications.close);
    receiver.fallback = 500;

    // A 20-minute outage, a delivery pass every 5 s: job1 fires at minute 0, job2 at minute 15.
    await svc.ingest(['job1']);
    const step = 5_000;
    for (let t = 0; t < 20 * 60_000; t += step) {
      if (t === 15 * 60_000) await svc.ingest(['job1', 'job2']);
      await notifications.deliver();
      clock.advance(step);
    }
    const fps = new Map((await svc.store.listAlerts({ rule: RULE })).map((a) => [a.fingerprint, a.labels.containerName ?? '']));
    // Probes (all on job1, the head of the queue) after backoffs of 2, 4, 8, … 256 s, then 300 s (capped), each
    // taken by the next 5 s pass: 0, 5, 10, 20, 40, 75, 140, 270, 530, 830, 1130 s. job2 waits behind it untried.
    const during = await svc.log();
    const probes = during.filter((e) => e.status === 'retried').reverse();
    expect(probes.map((e) => (Date.parse(e.at) - T0) / 1000)).toEqual([0, 5, 10, 20, 40, 75, 140, 270, 530, 830, 1130]);
    expect(probes.map((e) => fps.get(e.fingerprints[0] ?? ''))).toEqual(Array(11).fill('job1'));
    expect(receiver.requests).toHaveLength(11);
    expect((await svc.queued()).map((q) => [jobOf(q), q.attempts, q.nextAttemptAt === q.createdAt])).toEqual([
      ['job1', 11, true],
      ['job2', 0, true],
    ]);

    // Slack is back at minute 20 (1200 s). The next probe is due at 1130 + 300 = 1430 s: job1 goes out then, job2 at
    // the next pass after the webhook's 1 s gap. Creation order, and no later than retry.maxMs after the recovery.
    receiver.fallback = 200;
    const recoveredAt = clock.now().getTime();
    for (let i = 0; i < 400 && (await svc.queued()).length > 0; i++) {
      await notifications.deliver();
      clock.advance(step);
    }
    expect(await svc.queued()).toEqual([]);
    const sent = (await svc.log()).filter((e) => e.status === 'sent').reverse();
    const story = sent.map((e) => ({ job: fps.get(e.fingerprints[0] ?? ''), afterRecoveryS: (Date.parse(e.at) - recoveredAt) / 1000 }));
    expect(story).toEqual([
      { job: 'job1', afterRecoveryS: 230 },
      { job: 'job2', afterRecoveryS: 235 },
    ]);
    expect(receiver.requests.slice(11).map(describeRequest)).toEqual(['job1:firing', 'job2:firing']);
  });

  /**
   * Slack 500s twice on job1's firing notice (channel backoff 2 s, then 4 s), the container goes away at 3 s (its
   * resolved notice is queued in the same group, due at once) and Slack is back before the next probe at 6 s.
   */
  async function failThenResolve(): Promise<{ svc: Service; fp: string }> {
    const { path } = secretPath('order');
    const clock = fakeClock();
    const logs: string[] = [];
    const svc = await service({ routing: await routingYaml([{ name: 'admins-slack', url: receiver.url(path) }]), clock, logs, retry: { baseMs: 2_000, maxMs: 60_000, giveUpAfterMs: 86_400_000 } });
    receiver.script(500, 500);

    await svc.ingest(['job1']); // t=0: fires, queued for now; probe 1 → 500, channel free at 2 s
    await passes(svc, clock, 3); // t=2: probe 2 → 500, channel free at 6 s
    await svc.ingest([]); // t=3: resolved, queued for now (the group was never told, group_wait 0)
    await passes(svc, clock, 10); // Slack is back (fallback 200)
    expect(await svc.queued()).toEqual([]);
    return { svc, fp: (await svc.store.listAlerts({ rule: RULE }))[0]?.fingerprint ?? '' };
  }

  it('a resolved notice never reaches the webhook before the firing notice of the same alert', async () => {
    const { svc, fp } = await failThenResolve();
    // Two failed probes with the firing notice; at the channel's next probe (6 s) the firing notice goes out, and the
    // resolved one, queued later, does not overtake it: here both are due in the same group, so they share that message.
    expect(receiver.requests.map(describeRequest)).toEqual(['job1:firing', 'job1:firing', 'job1:resolved']);
    // Both notices were due together: one message, with the alert once, resolved (its latest news).
    expect((receiver.requests[2]?.json as { text?: string } | undefined)?.text).toMatch(/^RESOLVED: .*1 resolved/);
    const story = (await svc.log()).reverse().map((e) => [(Date.parse(e.at) - T0) / 1000, e.status, e.detail]);
    expect(story).toEqual([
      [0, 'queued', expect.stringMatching(/^firing /)],
      [0, 'retried', 'slack: HTTP 500 internal_error'],
      [2, 'retried', 'slack: HTTP 500 internal_error'],
      [3, 'queued', expect.stringMatching(/^resolved /)],
      [6, 'sent', '2 alert(s) in one message'],
      [6, 'sent', '2 alert(s) in one message'],
    ]);
    expect(byStatus(await svc.log(), fp)).toEqual(['queued', 'retried', 'retried', 'queued', 'sent', 'sent']);
  });

  // After an outage an alert's firing notice and its later resolved notice can be due together: the message shows
  // the alert once, with its latest news (resolved), so the channel ends on RESOLVED.
  it('a message never shows one alert as both firing and resolved; the channel ends on RESOLVED', async () => {
    await failThenResolve();
    const delivered = receiver.requests.slice(2);
    for (const r of delivered) {
      const blocks = (r.json as { blocks?: { type: string; fields?: { text: string }[] }[] } | undefined)?.blocks ?? [];
      const notices = blocks.filter((b) => b.type === 'section' && (b.fields ?? []).some((f) => f.text.includes('job1 (')));
      expect(notices.length, 'notices of job1 in one message').toBeLessThanOrEqual(1);
    }
    // Actual: one message, "ALERT: 1 firing, 1 resolved — unmanaged-gpu-container container=… on ds01".
    expect((delivered.at(-1)?.json as { text?: string } | undefined)?.text).toMatch(/^RESOLVED/);
  });

  it('(b) 429 with Retry-After: 2 → the next request to that webhook (any item) comes no sooner than 2 s after the answer; the item keeps its nextAttemptAt', async () => {
    const { path, token } = secretPath('b');
    const url = receiver.url(path);
    const logs: string[] = [];
    const svc = await service({ routing: await routingYaml([{ name: 'admins-slack', url }]), clock: wallClock, logs });
    receiver.script({ status: 429, retryAfterS: 2 });

    await svc.ingest(['job1', 'job2']); // two groups on one webhook
    const before = await svc.queued();
    expect(before.map(describeItem)).toEqual(['job1:firing', 'job2:firing']);
    await svc.worker.tick(); // the first group gets the 429; the second waits for the channel
    expect(receiver.requests).toHaveLength(1);
    const retried = (await svc.log()).filter((e) => e.status === 'retried');
    expect(retried).toHaveLength(1);
    expect(retried[0]?.detail).toMatch(/^slack: HTTP 429 .*\(rate limited\)$/);
    const answeredAt = Date.parse(retried[0]?.at ?? '');
    // Nothing rescheduled: the same nextAttemptAt for both; only the item that was tried counts an attempt.
    expect((await svc.queued()).map((q) => [q.id, q.nextAttemptAt, q.attempts])).toEqual(before.map((q, i) => [q.id, q.nextAttemptAt, i === 0 ? 1 : 0]));

    await drive(() => svc.worker.tick(), async () => receiver.requests.length >= 3 && (await svc.queued()).length === 0, 8_000);
    expect(receiver.requests.map(describeRequest)).toEqual(['job1:firing', 'job1:firing', 'job2:firing']);
    const [, second, third] = receiver.requests.map((r) => r.at.getTime());
    // Retry-After (2 s) overrides the 200 ms channel backoff, counted from the 429 answer, for whichever item is next.
    expect((second ?? 0) - answeredAt).toBeGreaterThanOrEqual(2_000 - 10);
    expect((second ?? 0) - answeredAt).toBeLessThan(2_000 + 1_500); // honoured, not overdone
    expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(SLACK_MIN_GAP_MS - 10);
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

  it('Teams and generic webhook receivers through the service as `serve` builds it: one Teams message per second per workflow URL, the webhook unthrottled, secrets nowhere', async () => {
    const teams = await startWebhookReceiver();
    cleanups.push(() => teams.close());
    const sig = `TeamsSig${Math.random().toString(36).slice(2, 12)}Zq`;
    const teamsUrl = teams.url(`/workflows/gw/triggers/manual/paths/invoke?sig=${sig}`);
    const { path, token } = secretPath('w');
    const hookUrl = receiver.url(path);
    const routing = await routingFrom(
      [
        'route:',
        '  receiver: ds01-teams',
        '  group_by: [alertname, container]',
        '  group_wait: 0s',
        '  routes:',
        '    - {receiver: ds01-teams, continue: true}',
        '    - {receiver: am-bridge}',
        'receivers:',
        `  - {name: ds01-teams, teams: {webhook_url: "${teamsUrl}"}}`,
        `  - {name: am-bridge, webhook: {url: "${hookUrl}", bearer_token: "${token}"}}`,
      ].join('\n'),
    );
    const clock = fakeClock();
    const logs: string[] = [];
    const svc = await service({ routing, clock, logs });
    const notifications = createNotificationService({ store: svc.store, routing, clock: clock.now, log: (l) => logs.push(l) });
    cleanups.push(notifications.close);

    await svc.ingest(['job1', 'job2', 'job3']);
    await notifications.deliver(); // the clock stands still: one Teams message, every webhook message
    expect(teams.requests).toHaveLength(1);
    expect(receiver.requests).toHaveLength(3);
    expect(receiver.requests.map((r) => (r.json as { version: string; alerts: { labels: { containerName: string } }[] }).alerts[0]?.labels.containerName).sort()).toEqual(['job1', 'job2', 'job3']);
    expect(receiver.requests.every((r) => r.headers.authorization === `Bearer ${token}`)).toBe(true);
    clock.advance(SLACK_MIN_GAP_MS);
    await notifications.deliver();
    expect(teams.requests).toHaveLength(2);
    clock.advance(SLACK_MIN_GAP_MS);
    await notifications.deliver();
    expect(teams.requests).toHaveLength(3);
    expect(teams.requests.every((r) => (r.json as { type: string }).type === 'message')).toBe(true);
    expect(await svc.queued()).toHaveLength(0);
    expectNoSecrets(await svc.log(), logs, [teamsUrl, sig, hookUrl, token]);
    const db = await readFile(join(dir, 'gw.sqlite'), 'latin1');
    for (const secret of [sig, token]) expect(db).not.toContain(secret);
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

  it('two receivers sharing one webhook URL share its channel (a hash of the URL): at most one message per second on it', async () => {
    const { path, token } = secretPath('shared');
    const url = receiver.url(path);
    const other = secretPath('other');
    const routing = await routingYaml(
      [{ name: 'admins-slack', url }, { name: 'ops-slack', url }, { name: 'other-slack', url: receiver.url(other.path) }],
      [`{matchers: [alertname=${RULE}], receiver: ops-slack, continue: true}`, `{matchers: [alertname=${RULE}], receiver: admins-slack, continue: true}`, `{matchers: [alertname=${RULE}], receiver: other-slack}`],
    );
    const logs: string[] = [];
    const svc = await service({ routing, clock: wallClock, logs });
    const notifications = createNotificationService({ store: svc.store, routing, clock: () => new Date(), log: (l) => logs.push(l) });
    cleanups.push(notifications.close);

    await svc.ingest(['job1']);
    const queued = await svc.queued();
    expect(queued.map((q) => q.receiver).sort()).toEqual(['admins-slack', 'ops-slack', 'other-slack']);
    // The rate-limit key is the webhook, as a short hash: the same for both receivers, another for another URL.
    const keyOf = (receiverName: string) => queued.find((q) => q.receiver === receiverName)?.channelKey ?? '';
    expect(keyOf('admins-slack')).toMatch(/^slack:[0-9a-f]{12}$/);
    expect(keyOf('ops-slack')).toBe(keyOf('admins-slack'));
    expect(keyOf('other-slack')).toMatch(/^slack:[0-9a-f]{12}$/);
    expect(keyOf('other-slack')).not.toBe(keyOf('admins-slack'));
    for (const q of queued) for (const s of [...secretsOf(url, token), ...secretsOf(receiver.url(other.path), other.token)]) expect(q.channelKey).not.toContain(s);

    await drive(() => notifications.deliver(), async () => (await svc.queued()).length === 0, 5_000);
    const shared = receiver.requests.filter((r) => r.path === path).map((r) => r.at.getTime());
    expect(shared).toHaveLength(2);
    const [first, second] = shared;
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(SLACK_MIN_GAP_MS - 10);
    expect((second ?? 0) - (first ?? 0)).toBeLessThan(SLACK_MIN_GAP_MS + 1_500);
    // The other webhook is not held back by the shared one: served in the first pass.
    const otherTimes = receiver.requests.filter((r) => r.path === other.path).map((r) => r.at.getTime());
    expect(otherTimes).toHaveLength(1);
    expect(Math.abs((otherTimes[0] ?? 0) - (first ?? 0))).toBeLessThan(SLACK_MIN_GAP_MS / 2);
  });

  it('(d) a webhook that never answers times out, is logged as retried, and is retried after the channel backoff', async () => {
    const { path, token } = secretPath('d');
    const url = receiver.url(path);
    const logs: string[] = [];
    const svc = await service({ routing: await routingYaml([{ name: 'admins-slack', url }]), clock: wallClock, logs, timeoutMs: 300 });
    receiver.script('hang');

    await svc.ingest(['job1']);
    const [queuedItem] = await svc.queued();
    const started = Date.now();
    expect(await svc.worker.tick()).toBe(0);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(290); // it waited for the timeout…
    expect(took).toBeLessThan(2_000); // …and no longer
    const [item] = await svc.queued();
    expect(item?.attempts).toBe(1);
    expect(item?.nextAttemptAt).toBe(queuedItem?.nextAttemptAt); // not rescheduled: the channel waits
    const fp = (await svc.store.listAlerts({ rule: RULE }))[0]?.fingerprint ?? '';
    const retried = (await svc.log()).find((e) => e.status === 'retried');
    expect(retried?.detail).toBe('slack: no answer within 300 ms (timeout)');
    expect(logs).toContain('notify: admins-slack: slack: no answer within 300 ms (timeout) (will retry)');

    // Hammering is prevented by the channel backoff (first failure: baseMs = 200 ms), counted from the timeout.
    await drive(() => svc.worker.tick(), async () => (await svc.queued()).length === 0, 5_000);
    const [first, second] = receiver.requests.map((r) => r.at.getTime());
    expect(receiver.requests).toHaveLength(2);
    const timedOutAt = Date.parse(retried?.at ?? '');
    expect(timedOutAt - (first ?? 0)).toBeGreaterThanOrEqual(300 - 10);
    expect((second ?? 0) - timedOutAt).toBeGreaterThanOrEqual(FAST_RETRY.baseMs - 10);
    expect((second ?? 0) - timedOutAt).toBeLessThan(FAST_RETRY.baseMs + 1_000);
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

    // The webhook goes down (500) at 1 s. At 61 s job1..job3 fire and job0 resolves; the channel is probed on its
    // backoff (200 ms doubling, each taken by the next 1 s pass: 61, 62, 63, 64, 66 s), always with the head of the
    // queue; the other three wait behind it, untried, with their nextAttemptAt unchanged.
    receiver.fallback = 500;
    clock.advance(60_000);
    await before.ingest(['job1', 'job2', 'job3']);
    await passes(before, clock, 8);
    const pending = await before.queued();
    expect(pending.map(describeItem).sort()).toEqual(['job0:resolved', 'job1:firing', 'job2:firing', 'job3:firing']);
    expect(pending.map((q) => [q.attempts, (Date.parse(q.nextAttemptAt) - T0) / 1000])).toEqual([[5, 61], [0, 61], [0, 61], [0, 61]]);
    const downRequests = receiver.requests.length;
    expect(receiver.requests.slice(1).map(describeRequest)).toEqual(Array(5).fill(describeItem(pending[0] as OutboxItem)));
    const probes = (await before.log()).filter((e) => e.status === 'retried').reverse();
    expect(probes.map((e) => (Date.parse(e.at) - T0) / 1000)).toEqual([61, 62, 63, 64, 66]);
    await before.close();

    // Restart at 69 s: a new store on the same file, a new core and worker (fresh ids, fresh channel state): the
    // webhook is back and the backlog goes out at once, in queue order, one per second.
    receiver.fallback = 200;
    const after = openService({ path: dbPath, routing, clock, gen: 'b', logs });
    cleanups.push(after.close);
    const reopened = await after.queued();
    expect(reopened.map((q) => [q.id, q.dedupKey, q.attempts, q.nextAttemptAt])).toEqual(pending.map((q) => [q.id, q.dedupKey, q.attempts, q.nextAttemptAt]));
    for (let i = 0; i < 20 && (await after.queued()).length > 0; i++) await passes(after, clock, 1);
    expect(await after.queued()).toEqual([]);
    expect(receiver.requests.slice(downRequests).map(describeRequest)).toEqual(pending.map(describeItem));
    const sentAt = (await after.log()).filter((e) => e.status === 'sent' && Date.parse(e.at) > T0 + 60_000).reverse();
    expect(sentAt.map((e) => (Date.parse(e.at) - T0) / 1000)).toEqual([69, 70, 71, 72]);

    // The pipeline queues the very same changes again (a replayed evaluation): skipped, their dedup keys were sent.
    await after.store.commitEvaluation({ hostRecord: null, upsert: [], remove: [], outbox: pending.map((q) => ({ ...q, id: `replay-${q.id}`, attempts: 0 })), log: [] });
    expect(await after.queued()).toEqual([]);
    // New snapshots with the same state change nothing.
    clock.advance(60_000);
    await after.ingest(['job1', 'job2', 'job3']);
    await passes(after, clock, 5, 60_000);

    // …nor does anything else go out later.
    expect(receiver.requests.slice(downRequests).map(describeRequest)).toEqual(pending.map(describeItem));
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
    const svc = openService({ path: dbPath, routing, clock, gen: 'f', logs, timeoutMs: 300, retry: { baseMs: 200, maxMs: 5_000, giveUpAfterMs: 3_500 } });
    cleanups.push(svc.close);

    await svc.ingest(['job1']);
    await passes(svc, clock, 6);
    expect(await svc.queued()).toEqual([]);

    const log = await svc.log();
    const of = (receiverName: string) => log.filter((e) => e.receiver === receiverName).reverse();
    expect(of('hook-a').map((e) => e.status)).toEqual(['queued', 'retried', 'retried', 'retried', 'sent']);
    expect(of('hook-b').map((e) => e.status)).toEqual(['queued', 'retried', 'retried', 'retried', 'retried', 'failed']);
    expect(of('hook-c').map((e) => e.status)).toEqual(['queued', 'failed']);
    // The echoed secrets were scrubbed, not the whole error dropped.
    expect(of('hook-a')[1]?.detail).toMatch(/^slack: HTTP 500 upstream error for \[redacted\]/);
    expect(of('hook-a')[2]?.detail).toMatch(/^slack: HTTP 500 token \[redacted\] rejected/);
    expect(of('hook-a')[3]?.detail).toBe('slack: no answer within 300 ms (timeout)');
    expect(of('hook-b')[1]?.detail).toBe('slack: request failed (ECONNREFUSED)');
    expect(of('hook-b')[4]?.detail).toBe('slack: request failed (ECONNREFUSED)');
    expect(of('hook-b')[5]?.detail).toBe('not delivered in time (gave up)');
    // Probed on the channel backoff (0.2, 0.4, 0.8 s → every 1 s pass) and given up on the first pass once
    // giveUpAfterMs (3.5 s) has passed since it was queued, without another attempt.
    expect(of('hook-b').map((e) => (Date.parse(e.at) - T0) / 1000)).toEqual([0, 0, 1, 2, 3, 4]);
    expect(of('hook-a').map((e) => (Date.parse(e.at) - T0) / 1000)).toEqual([0, 0, 1, 2, 3]);
    expect(of('hook-c').map((e) => (Date.parse(e.at) - T0) / 1000)).toEqual([0, 0]); // a permanent failure: at once
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
