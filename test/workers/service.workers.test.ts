// The full service core on Workers, inside workerd: the Worker entry with the bundled rule pack and limits, every
// snapshot evaluated by its host's HostWriter Durable Object (the real binding of wrangler.toml), each host's tick
// run by that object's alarm, the cron handler (the fleet-wide tick, then outbox delivery through the fetch-based
// Slack and HTTP mail API notifiers; SMTP email refused at startup), and one writer per host under 50 concurrent
// POSTs and under a tick racing a POST. The store is the memory store, injected through setWorkerSeams; the
// Worker, its Durable Objects and these tests share one isolate, so the seam reaches the objects too.
import { createExecutionContext, env as cfEnv, listDurableObjectIds, runDurableObjectAlarm, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostSnapshot } from '../../src/snapshot/schema.ts';
import type { IngestResult } from '../../src/service/core.ts';
import { createCore } from '../../src/service/ingest.ts';
import { createMemoryStore, type MemoryStore } from '../../src/store/memory/memory-store.ts';
import worker from '../../src/server/worker.ts';
import { setWorkerSeams } from '../../src/server/worker-service.ts';
import { EMAIL_ON_WORKERS, loadWorkerConfig } from '../../src/server/worker-config.ts';
import type { WorkerEnv } from '../../src/server/worker-env.ts';
import type { WorkerPack } from '../../src/server/worker-pack-types.ts';
import { WORKER_PACK } from '../../src/server/worker-pack.ts';
import { bearer, TOKEN_SHA256, TOKENS } from '../../src/server/test-support.ts';
import { proc, snapshot, t } from '../support/snapshot-factory.ts';
import { parseExpositionStrictly } from '../../src/server/metrics/strict-parse.test-support.ts';

const WEBHOOK = 'https://hooks.slack.test/services/T0000/B0000/workers-test-secret';
const ROUTING = `route:
  receiver: admins-slack
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1m
  repeat_interval: 4h
receivers:
  - name: admins-slack
    slack:
      webhook_url: ${WEBHOOK}
`;
const PACK: WorkerPack = { ...WORKER_PACK, notifications: { file: 'notifications.yaml', text: ROUTING } };
const MAIL_API = 'https://api.resend.test/emails';
const MAIL_TOKEN = 're_workers_mail_secret';
/** Every alert to the admins' mailbox through an HTTP mail API, its token a Worker secret. */
const MAIL_ROUTING = `route:
  receiver: admins-mail
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1m
  repeat_interval: 4h
receivers:
  - name: admins-mail
    email:
      http_api:
        url: ${MAIL_API}
        token_env: GPUWARDEN_MAIL_API_TOKEN
      from: 'gpuwarden <gpuwarden@example.org>'
      to: [admins@example.org]
`;

const TEAMS_URL = 'https://prod-00.westeurope.logic.azure.test/workflows/gw/triggers/manual/paths/invoke?sig=workersTeamsSig0123';
const HOOK_URL = 'https://am.example.test/hooks/gpuwarden';
const HOOK_TOKEN = 'workers_hook_secret_0123';
/** Every alert to DS01's Teams channel and, too, to a tool taking Alertmanager's webhooks; secrets from Worker secrets. */
const TEAMS_ROUTING = `route:
  receiver: ds01-teams
  group_by: [alertname]
  group_wait: 0s
  routes:
    - {receiver: ds01-teams, continue: true}
    - {receiver: am-bridge}
receivers:
  - name: ds01-teams
    teams: {webhook_url_env: GPUWARDEN_TEAMS_URL}
  - name: am-bridge
    webhook: {url_env: GPUWARDEN_HOOK_URL, bearer_token_env: GPUWARDEN_HOOK_TOKEN}
`;

const env = {
  ...cfEnv,
  GPUWARDEN_TEAMS_URL: TEAMS_URL,
  GPUWARDEN_HOOK_URL: HOOK_URL,
  GPUWARDEN_HOOK_TOKEN: HOOK_TOKEN,
  GPUWARDEN_HOST_TOKENS: JSON.stringify({ ds01: TOKEN_SHA256.ds01 }),
  GPUWARDEN_ADMIN_TOKENS: JSON.stringify({ alice: TOKEN_SHA256.alice }),
  GPUWARDEN_MAIL_API_TOKEN: MAIL_TOKEN,
} as WorkerEnv;

interface Posted {
  url: string;
  method: string;
  /** The request's Authorization and Content-Type headers (null when absent). */
  authorization: string | null;
  contentType: string | null;
  /** The JSON body as sent (text and Block Kit blocks; or Resend's from, to, subject, text, html). */
  json: string;
  body: { text: string };
}

/** Memory store, pack, a settable clock and a fetch (Slack's and the mail API's) that records what it was sent and answers with `answer`. */
function setup(pack: WorkerPack = PACK, latencyMs = 0, answer: () => Response = () => new Response('{"id":"workers"}', { status: 200 })): { store: MemoryStore; posted: Posted[]; setNow: (iso: string) => void } {
  const store = createMemoryStore();
  const posted: Posted[] = [];
  let now = new Date(t(0));
  setWorkerSeams({
    store: latencyMs > 0 ? withLatency(store, latencyMs) : store,
    pack,
    clock: () => now,
    fetch: async (url, init) => {
      const headers = new Headers(init.headers);
      posted.push({
        url,
        method: init.method ?? 'GET',
        authorization: headers.get('authorization'),
        contentType: headers.get('content-type'),
        json: String(init.body),
        body: JSON.parse(String(init.body)) as { text: string },
      });
      return answer();
    },
  });
  return { store, posted, setNow: (iso) => (now = new Date(iso)) };
}

const namespace = env.HOST_WRITER as NonNullable<WorkerEnv['HOST_WRITER']> & { get(id: unknown): unknown; idFromId?: never };

/** The stub of a host's HostWriter object. */
const hostObject = (host: string): unknown => namespace.get(namespace.idFromName(host) as never);

/** When the object's alarm is set to ring (epoch ms), or null. */
const alarmOf = (stub: unknown): Promise<number | null> => runInDurableObject(stub, (_, state) => state.storage.getAlarm());

afterEach(async () => {
  setWorkerSeams({});
  // An alarm left set would ring (in real time) during a later test, on that test's store.
  for (const id of await listDurableObjectIds(namespace)) {
    await runInDurableObject(namespace.get(id as never), (_, state) => state.storage.deleteAlarm());
  }
});

/**
 * The store with `ms` of latency before every call, as D1 has (a round trip per query): without it the memory store
 * answers within one turn and concurrent ingests never interleave, with it they do unless something serialises.
 */
function withLatency<S extends object>(store: S, ms = 1): S {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await new Promise((resolve) => setTimeout(resolve, ms));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** A host's alerts (by fingerprint) and when it was last seen, comparable across stores. */
async function stateOf(store: MemoryStore): Promise<unknown> {
  const alerts = (await store.alertsForHost('ds01')).sort((x, y) => x.fingerprint.localeCompare(y.fingerprint));
  return { alerts, lastSeenAt: (await store.getHost('ds01'))?.lastSeenAt };
}

async function post(body: HostSnapshot): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request('https://gpuwarden.example/v1/snapshots', { method: 'POST', body: JSON.stringify(body), headers: { ...bearer(TOKENS.ds01), 'content-type': 'application/json' } }),
    env,
    ctx as never,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

async function cron(at: string): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled({ scheduledTime: Date.parse(at) }, env, ctx as never);
  await waitOnExecutionContext(ctx);
}

const bareProcess = (at: string, id?: string): HostSnapshot => {
  const s = snapshot(at, { host: 'ds01', gpuProcesses: [proc(4242, { user: 'h.baker@hertie-school.lan' })] });
  return id === undefined ? s : { ...s, id };
};

describe('the full core on Workers (workerd, HostWriter Durable Object)', () => {
  it('ingest through the Durable Object → alert → outbox → cron delivers to Slack through fetch', async () => {
    const { store, posted, setNow } = setup();
    const first = await post(bareProcess(t(0)));
    expect(first.status).toBe(200);
    const reply = (await first.json()) as IngestResult;
    expect(reply.accepted).toBe(true);
    expect(reply.alerts.map((a) => [a.rule, a.state])).toEqual([['untracked-host-gpu-process', 'pending']]);

    setNow(t(1));
    const second = (await (await post(bareProcess(t(1)))).json()) as IngestResult;
    expect(second.alerts.map((a) => [a.rule, a.state])).toEqual([['untracked-host-gpu-process', 'firing']]);
    expect(await store.dueOutbox(t(1), 10)).toHaveLength(1);
    expect(posted).toEqual([]);

    await cron(t(1));
    expect(posted).toHaveLength(1);
    expect(posted[0]?.url).toBe(WEBHOOK);
    expect(posted[0]?.body.text).toContain('untracked-host-gpu-process on ds01');
    expect(posted[0]?.json).toContain('4242');
    expect(await store.dueOutbox(t(2), 10)).toEqual([]);
    const log = await store.listNotifications({ receiver: 'admins-slack' });
    expect(log.map((e) => e.status)).toContain('sent');
  });

  it("a host that stops reporting goes host-silent through its object's alarm, not the cron; the cron delivers it", async () => {
    const { store, posted, setNow } = setup();
    const before = Date.now();
    expect((await post(bareProcess(t(0)))).status).toBe(200);
    const stub = hostObject('ds01');
    // Armed, in real time, two probe intervals (2 × 30 s) after the snapshot.
    const armed = await alarmOf(stub);
    expect(armed).toBeGreaterThanOrEqual(before + 60_000);
    expect(armed).toBeLessThanOrEqual(Date.now() + 60_000);

    setNow(t(10));
    await cron(t(10));
    const silent = async (): Promise<string[]> => (await store.alertsForHost('ds01')).filter((a) => a.rule === 'host-silent').map((a) => a.state);
    expect(await silent()).toEqual([]); // the cron ticks no host
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await silent()).toEqual(['firing']);
    expect(await alarmOf(stub)).not.toBeNull(); // and it wakes again an interval later, while the host exists

    await cron(t(10));
    expect(posted.map((p) => p.body.text)).toContainEqual(expect.stringContaining('host-silent'));
  });

  it("the host's tick (its alarm) and its POSTs at once: the state of one of the sequential orders", async () => {
    // 20 ms a store call: the tick's read and commit are far enough apart for the POSTs to land in between.
    const { store, setNow } = setup(PACK, 20);
    expect((await post(bareProcess(t(0)))).status).toBe(200);
    setNow(t(10));
    const back = bareProcess(t(10));
    const [ran, ...replies] = await Promise.all([runDurableObjectAlarm(hostObject('ds01')), post(back), post(back)]);
    expect(ran).toBe(true);
    expect(replies.map((r) => r.status)).toEqual([200, 200]);

    // The same through a plain core on fresh stores, one after the other: the tick first, and the snapshot first.
    const config = await loadWorkerConfig(PACK, {}, new Date(t(0)), () => {});
    const sequential = async (tickFirst: boolean): Promise<unknown> => {
      const s = createMemoryStore();
      const core = createCore({ store: s, rules: config.rules, limits: config.limits, clock: () => new Date(t(10)) });
      await core.ingest(bareProcess(t(0)), new Date(t(0)));
      if (tickFirst) await core.tickHost('ds01', new Date(t(10)));
      await core.ingest(back, new Date(t(10)));
      if (!tickFirst) await core.tickHost('ds01', new Date(t(10)));
      return stateOf(s);
    };
    const orders = [await sequential(true), await sequential(false)];
    expect(orders[0]).not.toEqual(orders[1]); // the two orders differ, so an interleaving would show
    expect(orders).toContainEqual(await stateOf(store));
  });

  it('GET /v1/snapshots/latest says it is not available on Workers (no isolate sees every host), instead of a partial view', async () => {
    setup();
    expect((await post(bareProcess(t(0)))).status).toBe(200);
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request('https://gw.test/v1/snapshots/latest', { headers: bearer(TOKENS.alice) }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(501);
    expect(await res.json()).toMatchObject({ error: 'not_available' });
  });

  it('50 concurrent POSTs of one host: one accepted per id, the same state as ingesting them one by one', async () => {
    const { store } = setup(PACK, 1);
    const ids = Array.from({ length: 10 }, (_, i) => `ds01-burst-${i}`);
    const bodies = ids.flatMap((id) => Array.from({ length: 5 }, () => bareProcess(t(0), id)));
    const replies = await Promise.all(bodies.map(async (b) => ({ id: b.id, res: await post(b) })));
    const accepted = new Map<string, number>();
    for (const { id, res } of replies) {
      expect(res.status).toBe(200);
      if (((await res.json()) as IngestResult).accepted) accepted.set(id, (accepted.get(id) ?? 0) + 1);
    }
    expect([...accepted.entries()].sort()).toEqual(ids.map((id) => [id, 1]).sort());
    expect(await store.listSnapshots('ds01')).toHaveLength(10);
    // They went through ds01's HostWriter object (the only one: one object per host name).
    expect((await listDurableObjectIds(namespace)).map(String)).toContain(String(namespace.idFromName('ds01')));

    // The same snapshots, one by one, through a plain core on a fresh store with the same config and clock.
    const sequentialStore = createMemoryStore();
    const config = await loadWorkerConfig(PACK, {}, new Date(t(0)), () => {});
    const core = createCore({ store: sequentialStore, rules: config.rules, limits: config.limits, clock: () => new Date(t(0)), ...(config.recipientsOf === null ? {} : { recipientsOf: config.recipientsOf }) });
    for (const id of ids) await core.ingest(bareProcess(t(0), id), new Date(t(0)));
    const strip = (alerts: Awaited<ReturnType<MemoryStore['alertsForHost']>>) => alerts.map((a) => ({ ...a })).sort((x, y) => x.fingerprint.localeCompare(y.fingerprint));
    expect(strip(await store.alertsForHost('ds01'))).toEqual(strip(await sequentialStore.alertsForHost('ds01')));
    expect(JSON.parse((await store.getHost('ds01'))?.tracked ?? 'null')).toEqual(JSON.parse((await sequentialStore.getHost('ds01'))?.tracked ?? 'null'));
  });

  it('the control: without one writer per host, 50 cores (as 50 isolates would) on that store accept copies twice', async () => {
    const store = withLatency(createMemoryStore());
    const config = await loadWorkerConfig(WORKER_PACK, {}, new Date(t(0)), () => {});
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => createCore({ store, rules: config.rules, limits: config.limits }).ingest(bareProcess(t(0), `ds01-burst-${i % 10}`), new Date(t(0)))),
    );
    expect(results.filter((r) => r.accepted).length).toBeGreaterThan(10);
  });

  it('ingest → alert → cron delivers to an http_api email receiver through fetch, with the Worker secret as Bearer token', async () => {
    const { store, posted, setNow } = setup({ ...WORKER_PACK, notifications: { file: 'notifications.yaml', text: MAIL_ROUTING } });
    expect((await post(bareProcess(t(0)))).status).toBe(200);
    setNow(t(1));
    expect((await post(bareProcess(t(1)))).status).toBe(200);
    expect(posted).toEqual([]);

    await cron(t(1));
    expect(posted).toHaveLength(1);
    const [mail] = posted;
    expect([mail?.url, mail?.method, mail?.authorization, mail?.contentType]).toEqual([MAIL_API, 'POST', `Bearer ${MAIL_TOKEN}`, 'application/json']);
    const body = JSON.parse(mail?.json ?? '{}') as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['from', 'html', 'subject', 'text', 'to']);
    expect(body).toMatchObject({ from: 'gpuwarden <gpuwarden@example.org>', to: ['admins@example.org'] });
    expect(body.subject).toEqual(expect.stringContaining('untracked-host-gpu-process'));
    expect(body.text).toEqual(expect.stringContaining('4242'));
    expect(mail?.json).not.toContain(MAIL_TOKEN);
    const log = await store.listNotifications({ receiver: 'admins-mail' });
    expect(log.map((e) => e.status)).toContain('sent');
    expect(JSON.stringify(log)).not.toContain(MAIL_TOKEN);
  });

  it('ingest → alert → cron delivers to a Teams workflow webhook (Adaptive Card) and a generic webhook (Alertmanager payload, Bearer) through fetch', async () => {
    const { store, posted, setNow } = setup({ ...WORKER_PACK, notifications: { file: 'notifications.yaml', text: TEAMS_ROUTING } }, 0, () => new Response('', { status: 202 }));
    await post(bareProcess(t(0)));
    setNow(t(1));
    await post(bareProcess(t(1)));
    await cron(t(1));
    const byUrl = new Map(posted.map((p) => [p.url, p]));
    expect([...byUrl.keys()].sort()).toEqual([HOOK_URL, TEAMS_URL].sort());
    const card = JSON.parse(byUrl.get(TEAMS_URL)?.json ?? '{}') as { type: string; attachments: { contentType: string }[] };
    expect([card.type, card.attachments[0]?.contentType]).toEqual(['message', 'application/vnd.microsoft.card.adaptive']);
    expect(byUrl.get(TEAMS_URL)?.json).toContain('4242');
    const hook = byUrl.get(HOOK_URL);
    expect(hook?.authorization).toBe(`Bearer ${HOOK_TOKEN}`);
    expect(JSON.parse(hook?.json ?? '{}')).toMatchObject({ version: '4', status: 'firing', receiver: 'am-bridge', alerts: [{ labels: { alertname: 'untracked-host-gpu-process' } }] });
    for (const receiver of ['ds01-teams', 'am-bridge']) expect((await store.listNotifications({ receiver })).map((e) => e.status)).toContain('sent');
    const log = JSON.stringify(await store.listNotifications({ limit: 100 }));
    for (const secret of ['workersTeamsSig0123', HOOK_TOKEN]) expect(log).not.toContain(secret);
  });

  it('a mail API answering 503 leaves the message queued for a retry, its answer logged without the token', async () => {
    const busy = () => new Response(`{"message":"upstream busy for ${MAIL_TOKEN}"}`, { status: 503, headers: { 'retry-after': '120' } });
    const { store, posted, setNow } = setup({ ...WORKER_PACK, notifications: { file: 'notifications.yaml', text: MAIL_ROUTING } }, 0, busy);
    await post(bareProcess(t(0)));
    setNow(t(1));
    await post(bareProcess(t(1)));
    await cron(t(1));
    expect(posted).toHaveLength(1); // one attempt: the channel then waits (Retry-After), the cron run ends
    const log = await store.listNotifications({ receiver: 'admins-mail' });
    expect(log.map((e) => e.status).sort()).toEqual(['queued', 'retried']);
    expect(JSON.stringify(log)).toContain('email: HTTP 503');
    expect(JSON.stringify(log)).not.toContain(MAIL_TOKEN);
    expect(await store.dueOutbox(t(2), 10)).toHaveLength(1);
  });

  it('an SMTP email receiver is refused at startup with a plain sentence; an http_api one is accepted', async () => {
    const withSmtp = `${ROUTING}  - name: admins-smtp\n    email:\n      host: smtp.example.org\n      from: gw@example.org\n      to: [ops@example.org]\n`;
    setup({ ...WORKER_PACK, notifications: { file: 'notifications.yaml', text: withSmtp } });
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const res = await post(bareProcess(t(0)));
      expect(res.status).toBe(503);
      const message = ((await res.json()) as { message: string }).message;
      expect(message).toContain(EMAIL_ON_WORKERS);
      expect(message).toContain('receivers[1].email.host: receiver "admins-smtp"');
      expect(EMAIL_ON_WORKERS).toContain('use http_api: instead of host: on Workers');
    } finally {
      console.error = original;
    }
    expect(errors).toHaveLength(1);

    const withApi = `${ROUTING}${MAIL_ROUTING.slice(MAIL_ROUTING.indexOf('  - name: admins-mail'))}`;
    setup({ ...WORKER_PACK, notifications: { file: 'notifications.yaml', text: withApi } });
    expect((await post(bareProcess(t(0)))).status).toBe(200);
  });

  it('token_file is refused on Workers at startup, pointing to token_env and a Worker secret', async () => {
    setup({ ...WORKER_PACK, notifications: { file: 'notifications.yaml', text: MAIL_ROUTING.replace('token_env: GPUWARDEN_MAIL_API_TOKEN', 'token_file: mail.token') } });
    const original = console.error;
    console.error = () => undefined;
    try {
      const res = await post(bareProcess(t(0)));
      expect(res.status).toBe(503);
      expect(((await res.json()) as { message: string }).message).toContain(
        'notifications.yaml:12: receivers[0].email.http_api.token_file: there are no files on Workers: store the secret with `wrangler secret put NAME` and write token_env: NAME',
      );
    } finally {
      console.error = original;
    }
  });

  it('GET /metrics answers on the Worker: host up and the alert counted; per-GPU and per-user values absent (no isolate sees every snapshot), never 0', async () => {
    setup();
    expect((await post(bareProcess(t(0)))).status).toBe(200);
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request('https://gpuwarden.example/metrics', { headers: bearer(TOKENS.alice) }), env, ctx as never);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(200);
    const families = parseExpositionStrictly(await res.text());
    const samples = (name: string) => families.find((f) => f.name === name)?.metrics ?? [];
    expect(samples('gpuwarden_host_up')).toEqual([{ value: '1', labels: { host: 'ds01' } }]);
    expect(samples('gpuwarden_untracked_host_gpu_processes')).toEqual([]);
    expect(samples('gpuwarden_alerts')).toEqual([{ value: '1', labels: { rule: 'untracked-host-gpu-process', state: 'pending', severity: expect.any(String) as string } }]);
  });
});
