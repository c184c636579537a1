// Issue 4's "done when": serve with notifications pointed at a real SMTP server and a real webhook receiver on
// loopback; a capture with violations is posted; the person concerned and the admins are told; a silence mutes its
// alert (logged as silenced); resolution sends the resolved notices; the log answers "who was told what, when".
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newToken } from '../src/cli/token.ts';
import { buildSnapshot } from '../src/probe/build-snapshot.ts';
import { readCaptureDir } from '../src/probe/capture-dir.ts';
import type { HostSnapshot } from '../src/snapshot/schema.ts';
import { writeNotifyServiceFiles } from './support/notify-service-files.ts';
import { startSmtpServer, type SmtpTestServer } from './support/smtp.ts';
import { serveInProcess, type ServeInProcess } from './support/serve-in-process.ts';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.ts';

const CAPTURE = 'test/fixtures/captures/ds01-h100-mig';

describe('notifications end to end', () => {
  let dir: string;
  let smtp: SmtpTestServer;
  let slack: WebhookReceiver;
  let serve: ServeInProcess;
  const host = newToken();
  const admin = newToken();
  let base: HostSnapshot;

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${serve.url}${path}`, { ...init, headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json', ...init.headers } });
  const post = async (s: HostSnapshot) => {
    const res = await fetch(`${serve.url}/v1/snapshots`, { method: 'POST', body: JSON.stringify(s), headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
  };
  const at = (s: HostSnapshot, offsetS: number, drop: (p: HostSnapshot['gpuProcesses'][number]) => boolean = () => false): HostSnapshot => {
    const takenAt = new Date(Date.now() + offsetS * 1000).toISOString();
    return { ...s, takenAt, id: `${s.host}@${takenAt}`, gpuProcesses: s.gpuProcesses.filter((p) => !drop(p)) };
  };
  const slackTexts = () => slack.requests.map((r) => (r.json as { text?: string }).text ?? '');
  /** Poll until `check` holds (deliveries are asynchronous: the worker runs every 250 ms). */
  const until = async (what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> => {
    const end = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; Slack got: ${slackTexts().join(' | ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gw-notify-e2e-'));
    smtp = await startSmtpServer();
    slack = await startWebhookReceiver();
    base = buildSnapshot(await readCaptureDir(CAPTURE));
    const config = await writeNotifyServiceFiles({ dir, slackUrl: slack.url(), smtpPort: smtp.port, host: 'ds01-demo', hostSha256: host.sha256, adminSha256: admin.sha256, extra: ['public_url: https://gpu.example.org'] });
    serve = await serveInProcess(config);
  });

  afterAll(async () => {
    await serve.stop();
    await slack.close();
    await smtp.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('tells the admins and the person, mutes a silenced alert, and sends resolved notices', async () => {
    // Snapshots are dated in the recent past, a minute apart (the service never evaluates a snapshot later than it
    // arrived, so time is simulated backwards from now).
    // 1. First snapshot: --gpus all outside DS01 fires at once (critical) → the admins hear of it.
    await post(at(base, -300));
    await until('the unmanaged-gpu-container message', () => slackTexts().some((t) => t.includes('unmanaged-gpu-container')));

    // 2. An admin silences the unowned-container alerts before they fire.
    const created = await api('/v1/silences', { method: 'POST', body: JSON.stringify({ matchers: ['alertname=unowned-container'], comment: 'known test containers', duration: '2h' }) });
    expect(created.status).toBe(201);

    // 3. A minute later: the host process outside any container fires → its user (daemon) by email, admins on Slack.
    await post(at(base, -240));
    const mails = await smtp.waitForMessages(1, 10_000);
    expect(mails[0]?.rcptTo).toEqual(['daemon@example.org']);
    expect(mails[0]?.subject).toMatch(/untracked|GPU/i);
    expect(mails[0]?.text).toContain('32185');
    // public_url: the person's message links to their own page of the web view.
    expect(mails[0]?.text).toContain('https://gpu.example.org/ui/users/daemon (sign in with the link your administrators sent you)');
    await until('the untracked-host-gpu-process message', () => slackTexts().some((t) => t.includes('untracked-host-gpu-process')));

    // 4. The process ends: once it has been gone for keep_firing_for (two 30 s intervals), resolved notices to the
    // person and the admins.
    await post(at(base, -180, (p) => p.pid === 32185));
    await post(at(base, -120, (p) => p.pid === 32185));
    const resolved = await smtp.waitForMessages(2, 10_000);
    expect(resolved[1]?.rcptTo).toEqual(['daemon@example.org']);
    expect(`${resolved[1]?.subject ?? ''}\n${resolved[1]?.text ?? ''}`).toMatch(/resolved/i);
    await until('the resolved Slack notice', () => slackTexts().some((t) => /resolved/i.test(t) && t.includes('untracked-host-gpu-process')));

    // The silenced alert reached nobody, and the log says so.
    expect(slackTexts().join('\n')).not.toContain('unowned-container');
    const log = (await (await api('/v1/notifications?limit=1000')).json()) as { notifications: { status: string; detail: string; receiver: string }[] };
    const statuses = log.notifications.map((n) => n.status);
    expect(statuses).toContain('silenced');
    expect(statuses.filter((s) => s === 'sent').length).toBeGreaterThanOrEqual(5);
    // No secret in the log or API answers.
    expect(JSON.stringify(log)).not.toContain('XXXX');
    // At most one message per second on the webhook.
    const times = slack.requests.map((r) => r.at.getTime());
    for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(990);
  }, 60_000);
});
