// Email through an HTTP mail API, end to end on Node: `gpuwarden serve` with notifications.yaml whose email receivers
// use `http_api:` (a REAL HTTP server on 127.0.0.1 standing in for Resend, its token in a file beside the config); a
// capture with violations is posted; the admins' mail receiver (route tree) and the person concerned (users.yaml)
// get Resend-shaped JSON with the Bearer token; the notification log records the sends and holds no token.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newToken } from '../src/cli/token.ts';
import { buildSnapshot } from '../src/probe/build-snapshot.ts';
import { readCaptureDir } from '../src/probe/capture-dir.ts';
import type { HostSnapshot } from '../src/snapshot/schema.ts';
import { writeNotifyServiceFiles } from './support/notify-service-files.ts';
import { serveInProcess, type ServeInProcess } from './support/serve-in-process.ts';
import { startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from './support/webhook-receiver.ts';

const CAPTURE = 'test/fixtures/captures/ds01-h100-mig';
const TOKEN = 're_E2ETOKEN_9f8e7d6c5b4a';

/** The JSON a mail API request carried (Resend's shape). */
interface MailJson {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

describe('email through an HTTP mail API, end to end (serve)', () => {
  let dir: string;
  let slack: WebhookReceiver;
  let mailApi: WebhookReceiver;
  let serve: ServeInProcess;
  const host = newToken();
  const admin = newToken();

  const post = async (s: HostSnapshot) => {
    const res = await fetch(`${serve.url}/v1/snapshots`, { method: 'POST', body: JSON.stringify(s), headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
  };
  const at = (s: HostSnapshot, offsetS: number): HostSnapshot => {
    const takenAt = new Date(Date.now() + offsetS * 1000).toISOString();
    return { ...s, takenAt, id: `${s.host}@${takenAt}` };
  };
  const mails = (): { req: ReceivedRequest; json: MailJson }[] => mailApi.requests.map((req) => ({ req, json: req.json as MailJson }));
  const until = async (what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> => {
    const end = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the mail API got: ${mails().map((m) => m.json.subject).join(' | ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gw-mail-api-e2e-'));
    slack = await startWebhookReceiver();
    mailApi = await startWebhookReceiver();
    mailApi.fallback = { status: 200, body: '{"id":"e2e"}', headers: { 'content-type': 'application/json' } };
    await writeFile(join(dir, 'mail.token'), `${TOKEN}\n`, { mode: 0o600 });
    const api = `{url: "${mailApi.url('/emails')}", token_file: mail.token}`;
    const config = await writeNotifyServiceFiles({
      dir,
      slackUrl: slack.url(),
      host: 'ds01-demo',
      hostSha256: host.sha256,
      adminSha256: admin.sha256,
      notifications: [
        'route:',
        '  receiver: admins-slack',
        '  group_by: [alertname]',
        '  group_wait: 0s',
        '  group_interval: 1s',
        '  repeat_interval: 4h',
        '  routes:',
        '    - matchers: [severity=critical]',
        '      receiver: admins-mail',
        'receivers:',
        '  - name: admins-slack',
        `    slack: {webhook_url: "${slack.url()}"}`,
        '  - name: admins-mail',
        `    email: {http_api: ${api}, from: "gpuwarden <gpuwarden@example.org>", to: [admins@example.org]}`,
        '  - name: users-email',
        `    email: {http_api: ${api}, from: "DS01 GPU server <gpuwarden@example.org>"}`,
      ],
    });
    serve = await serveInProcess(config);
  });

  afterAll(async () => {
    await serve.stop();
    await slack.close();
    await mailApi.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers the admins’ critical alert and the person’s alert as Resend-shaped JSON with the Bearer token', async () => {
    const base = buildSnapshot(await readCaptureDir(CAPTURE));
    // 1. `--gpus all` outside DS01 fires at once (critical): the route tree sends it to admins-mail.
    await post(at(base, -300));
    await until('the admins’ mail', () => mails().some((m) => m.json.to.includes('admins@example.org') && m.json.text.includes('unmanaged-gpu-container')));
    // 2. A minute later the host process outside any container fires: its user (daemon) by email (listed in users.yaml).
    await post(at(base, -240));
    await until('daemon’s mail', () => mails().some((m) => m.json.to.includes('daemon@example.org')));

    for (const { req } of mails()) {
      expect(req.method).toBe('POST');
      expect(req.path).toBe('/emails');
      expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(req.headers['content-type']).toBe('application/json');
    }
    const adminMail = mails().find((m) => m.json.to.includes('admins@example.org'))?.json;
    expect(adminMail).toMatchObject({ from: 'gpuwarden <gpuwarden@example.org>', to: ['admins@example.org'] });
    expect(Object.keys(adminMail ?? {}).sort()).toEqual(['from', 'html', 'subject', 'text', 'to']);
    const userMail = mails().find((m) => m.json.to.includes('daemon@example.org'))?.json;
    expect(userMail).toMatchObject({ from: 'DS01 GPU server <gpuwarden@example.org>', to: ['daemon@example.org'] });
    expect(userMail?.subject).toMatch(/untracked|GPU/i);
    expect(userMail?.text).toContain('32185');
    expect(userMail?.html).toContain('32185');

    const res = await fetch(`${serve.url}/v1/notifications?limit=1000`, { headers: { authorization: `Bearer ${admin.token}` } });
    const log = (await res.json()) as { notifications: { status: string; receiver: string }[] };
    const sent = log.notifications.filter((n) => n.status === 'sent').map((n) => n.receiver);
    expect(sent).toEqual(expect.arrayContaining(['admins-mail', 'users-email']));
    expect(JSON.stringify(log)).not.toContain('E2ETOKEN');
  }, 60_000);
});
