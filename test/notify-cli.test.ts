// The notification drills: `notify test` through a real webhook receiver, a real SMTP server and a real loopback
// HTTP mail API, `routes test`, and `rules test --render`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { runCommand } from './support/cli.ts';
import { startSmtpServer, type SmtpTestServer } from './support/smtp.ts';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.ts';

const cli = (...args: string[]) => runCommand(main, args);

describe('notification drills', () => {
  let dir: string;
  let slack: WebhookReceiver;
  let smtp: SmtpTestServer;
  let mailApi: WebhookReceiver;
  let usersSlack: WebhookReceiver;
  let teams: WebhookReceiver;
  let bridge: WebhookReceiver;
  let routing: string;
  let users: string;
  let usersBoth: string;
  const SECRET_PATH = '/services/T000/B000/SECRETSECRET';
  const CONTACT = '#ds01-help or ds01-admin@uni.example';
  const MAIL_TOKEN = 're_CLITOKEN_0123456789';
  const TEAMS_SIG = 'TEAMSSIGSECRET0123456789';
  const BRIDGE_TOKEN = 'BRIDGETOKEN_0123456789';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gw-notify-cli-'));
    slack = await startWebhookReceiver();
    smtp = await startSmtpServer();
    mailApi = await startWebhookReceiver();
    usersSlack = await startWebhookReceiver();
    teams = await startWebhookReceiver();
    bridge = await startWebhookReceiver();
    await writeFile(join(dir, 'teams.url'), `${teams.url(`/workflows/abc/triggers/manual/paths/invoke?sig=${TEAMS_SIG}`)}\n`, { mode: 0o600 });
    await writeFile(join(dir, 'bridge.token'), `${BRIDGE_TOKEN}\n`, { mode: 0o600 });
    await writeFile(join(dir, 'mail.token'), `${MAIL_TOKEN}\n`, { mode: 0o600 });
    routing = join(dir, 'notifications.yaml');
    users = join(dir, 'users.yaml');
    await writeFile(routing, [
      `contact: "${CONTACT}"`,
      'route: {receiver: admins-slack, group_by: [alertname]}',
      'receivers:',
      `  - {name: admins-slack, slack: {webhook_url: "${new URL(slack.url()).origin}${SECRET_PATH}"}}`,
      `  - {name: users-email, email: {host: 127.0.0.1, port: ${smtp.port}, tls: none, from: "gpuwarden <gw@example.org>"}}`,
      `  - {name: api-email, email: {http_api: {url: "${mailApi.url('/emails')}", token_file: mail.token}, from: "gpuwarden <gw@example.org>", to: [ops@example.org]}}`,
      `  - {name: users-slack, slack: {webhook_url: "${usersSlack.url()}"}}`,
      '  - {name: ds01-teams, teams: {webhook_url_file: teams.url}}',
      `  - {name: am-bridge, webhook: {url: "${bridge.url('/alerts')}", bearer_token_file: bridge.token, max_alerts: 5}}`,
    ].join('\n'));
    await writeFile(users, ['default:', "  email_pattern: '{local}@example.org'", '  email_receiver: users-email'].join('\n'));
    usersBoth = join(dir, 'users-both.yaml');
    await writeFile(usersBoth, [
      'default:',
      "  email_pattern: '{local}@example.org'",
      '  email_receiver: users-email',
      '  slack_receiver: users-slack',
      '  notify: [email, slack]',
      'users:',
      '  m.ng@hertie-school.lan: {slack_member_id: U024BE7LH}',
    ].join('\n'));
  });
  afterAll(async () => {
    await slack.close();
    await smtp.close();
    await mailApi.close();
    await usersSlack.close();
    await teams.close();
    await bridge.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('notify test --receiver sends a marked message and never prints the webhook URL', async () => {
    const r = await cli('notify', 'test', '--config', routing, '--receiver', 'admins-slack');
    expect(r.code).toBe(0);
    expect(r.out).toContain('sent a test message via admins-slack');
    expect(`${r.out}${r.err}`).not.toContain('SECRETSECRET');
    const [req] = await slack.waitForRequests(1);
    expect(req?.path).toBe(SECRET_PATH);
    expect(JSON.stringify(req?.json)).toContain('test message');
  });

  it('notify test --user reaches the person the way their alerts would (users.yaml pattern)', async () => {
    const r = await cli('notify', 'test', '--config', routing, '--users', users, '--user', 'h.baker@hertie-school.lan');
    expect(r.code).toBe(0);
    const [mail] = await smtp.waitForMessages(1);
    expect(mail?.rcptTo).toEqual(['h.baker@example.org']);
    expect(mail?.subject).toMatch(/^\[TEST\]/);
    expect(mail?.text).toContain(`Ask ${CONTACT}.`);
  });

  it('notify test --user drills every channel the person has (email and the Slack mention), each reported on its own', async () => {
    const before = smtp.messages.length;
    const r = await cli('notify', 'test', '--config', routing, '--users', usersBoth, '--user', 'm.ng@hertie-school.lan');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('sent a test message via users-email (email m.ng@example.org)');
    expect(lines[1]).toMatch(/^sent a test message via users-slack \(slack \(webhook [0-9a-f]{4}…\) mentioning U024BE7LH\)$/);
    const mails = await smtp.waitForMessages(before + 1);
    expect(mails.at(-1)?.rcptTo).toEqual(['m.ng@example.org']);
    const [hook] = await usersSlack.waitForRequests(1);
    expect((hook?.json as { text: string }).text).toContain('<@U024BE7LH>');

    // One channel failing does not hide the other's result, and the exit code says something failed.
    usersSlack.script({ status: 404, body: 'no_service' });
    const half = await cli('notify', 'test', '--config', routing, '--users', usersBoth, '--user', 'm.ng@hertie-school.lan');
    expect(half.code).toBe(1);
    expect(half.out).toBe('sent a test message via users-email (email m.ng@example.org)\n');
    expect(half.err).toMatch(/^gpuwarden notify test: users-slack \(slack \(webhook [0-9a-f]{4}…\) mentioning U024BE7LH\): slack: HTTP 404 no_service\n$/);
    await smtp.waitForMessages(before + 2);
    expect(`${r.out}${r.err}${half.out}${half.err}`).not.toContain('XXXXXXXX');
  });

  it('notify test --receiver posts to an HTTP mail API receiver with its token; a refusal is reported without it', async () => {
    const r = await cli('notify', 'test', '--config', routing, '--receiver', 'api-email');
    expect(r.code).toBe(0);
    expect(r.out).toContain('sent a test message via api-email (email ops@example.org)');
    const [req] = await mailApi.waitForRequests(1);
    expect(req?.headers.authorization).toBe(`Bearer ${MAIL_TOKEN}`);
    expect(req?.json).toMatchObject({ from: 'gpuwarden <gw@example.org>', to: ['ops@example.org'], subject: expect.stringMatching(/^\[TEST\]/) as string });

    mailApi.script({ status: 401, body: `{"message":"API key ${MAIL_TOKEN} is invalid"}` });
    const refused = await cli('notify', 'test', '--config', routing, '--receiver', 'api-email');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('api-email (email ops@example.org): email: HTTP 401');
    expect(refused.err).not.toContain('temporary');
    expect(`${r.out}${r.err}${refused.out}${refused.err}`).not.toContain('CLITOKEN');
  });

  it('notify test --receiver drills a Teams workflow webhook (Adaptive Card) and a generic webhook (Alertmanager payload, bearer token)', async () => {
    const t = await cli('notify', 'test', '--config', routing, '--receiver', 'ds01-teams');
    expect([t.code, t.err]).toEqual([0, '']);
    expect(t.out).toMatch(/^sent a test message via ds01-teams \(teams \(webhook [0-9a-f]{4}…\)\)\n$/);
    const [card] = await teams.waitForRequests(1);
    expect(card?.path).toBe(`/workflows/abc/triggers/manual/paths/invoke?sig=${TEAMS_SIG}`);
    expect(card?.json).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard' } }] });
    expect(JSON.stringify(card?.json)).toContain('[TEST]');

    const w = await cli('notify', 'test', '--config', routing, '--receiver', 'am-bridge');
    expect([w.code, w.err]).toEqual([0, '']);
    expect(w.out).toMatch(/^sent a test message via am-bridge \(webhook \(url [0-9a-f]{4}…\)\)\n$/);
    const [hook] = await bridge.waitForRequests(1);
    expect(hook?.headers.authorization).toBe(`Bearer ${BRIDGE_TOKEN}`);
    expect(hook?.json).toMatchObject({ version: '4', status: 'firing', receiver: 'am-bridge', truncatedAlerts: 0, alerts: [{ status: 'firing', labels: { alertname: 'notification-test' } }] });

    teams.script({ status: 400, body: `bad sig ${TEAMS_SIG}` });
    const refused = await cli('notify', 'test', '--config', routing, '--receiver', 'ds01-teams');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/ds01-teams \(teams \(webhook [0-9a-f]{4}…\)\): teams: HTTP 400 bad sig \[redacted\]\n$/);
    expect(`${t.out}${w.out}${refused.out}${refused.err}`).not.toMatch(/TEAMSSIGSECRET|BRIDGETOKEN/);
  });

  it('routes test shows Teams and webhook receivers by where their URL comes from, reading neither', async () => {
    const r = await cli('routes', 'test', '--config', routing, '--labels', 'alertname=gpu-temperature,severity=critical', '--notify', 'ds01-teams,am-bridge');
    expect(r.code).toBe(0);
    expect(r.out).toContain('ds01-teams  admin  teams (webhook_url_file teams.url)\n');
    expect(r.out).toContain('am-bridge  admin  webhook (url inline)\n');
  });

  it('notify test names the receivers when the one asked for does not exist', async () => {
    const r = await cli('notify', 'test', '--config', routing, '--receiver', 'nope');
    expect(r.code).toBe(1);
    expect(r.err).toContain('receivers: admins-slack, users-email, api-email, users-slack, ds01-teams, am-bridge');
  });

  it('routes test prints where an alert would go, without secrets', async () => {
    const r = await cli('routes', 'test', '--config', routing, '--users', users, '--labels', 'alertname=idle-gpu-container,severity=warning,user=228755@hertie-school.lan', '--notify', 'owner,admins');
    expect(r.code).toBe(0);
    expect(r.out).toContain('admins-slack');
    expect(r.out).toContain('228755@example.org');
    expect(r.out).not.toContain('SECRETSECRET');
  });

  it('rules test --render --json shows the person\'s email and the admins\' Slack payload per alert', async () => {
    const r = await cli('rules', 'test', '--replay', 'test/fixtures/captures/ds01-h100-mig', '--render', '--json');
    const rows = JSON.parse(r.out) as { rule: string; rendered: { user?: { email: { subject: string; text: string } }; admin: { slack: { blocks: unknown[] } } } }[];
    const untracked = rows.find((x) => x.rule === 'untracked-host-gpu-process');
    expect(untracked?.rendered.user?.email.subject).toContain('daemon runs node (pid 32185)');
    expect(untracked?.rendered.user?.email.text).toContain('Hello daemon');
    expect(rows.every((x) => x.rendered.admin.slack.blocks.length > 0 && x.rendered.admin.slack.blocks.length <= 50)).toBe(true);
    expect(untracked?.rendered.user?.email.text).toContain("Ask the server's administrators.");
  });

  it('rules test --render --notifications signs user messages with the configured contact and marks pending alerts', async () => {
    const json = await cli('rules', 'test', '--replay', 'test/fixtures/captures/ds01-h100-mig', '--render', '--json', '--notifications', routing);
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.out) as { rule: string; rendered: { user?: { email: { text: string } } } }[];
    expect(rows.find((x) => x.rule === 'untracked-host-gpu-process')?.rendered.user?.email.text).toContain(`Ask ${CONTACT}.`);
    const text = await cli('rules', 'test', '--replay', 'test/fixtures/captures/ds01-h100-mig', '--render', '--notifications', routing);
    expect(text.out).toMatch(/===== untracked-host-gpu-process .* \(pending: not sent unless it fires\)/);
    expect(text.out).toContain('Subject: [gpuwarden] WARNING: 1 pending');
    expect(text.out).not.toMatch(/\b1 firing\b.*untracked/);
  });

  it('rules test prints stage and a readable summary per alert: GPU names, no UUIDs or raw floats in the summary', async () => {
    const r = await cli('rules', 'test', '--replay', 'test/fixtures/captures/ds01-h100-mig');
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RULE\s+STAGE\s+SEVERITY\s+STATE\s+SUMMARY\s+LABELS$/);
    const summaryAt = lines[0]?.indexOf('SUMMARY') ?? 0;
    const labelsAt = lines[0]?.indexOf('LABELS') ?? 0;
    const summaries = lines.slice(1).map((l) => l.slice(summaryAt, labelsAt).trim());
    expect(summaries).toContain('daemon runs node (pid 32185) on GPU 0 · MIG 3g.40gb outside any container on ds01-demo');
    for (const s of summaries) expect(s).not.toMatch(/\d\.\d{3,}|MIG-[0-9a-f]|\d{4}-\d\d-\d\dT|\(\?\)/);
    expect(lines.find((l) => l.startsWith('unmanaged-gpu-container'))).toMatch(/^unmanaged-gpu-container\s+all-gpus\s+critical\s+firing\s+Container gwe2e31671-gpuall \(owner unknown\)/);
  });

  it('rules test shows an alert whose source failed as stale, still firing, with when it was last checked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw-rules-stale-'));
    try {
      const replayed = await cli('probe', '--once', '--json', '--replay', 'test/fixtures/captures/ds01-h100-mig');
      const base = JSON.parse(replayed.out) as { takenAt: string; id: string; host: string; containers: unknown[]; errors: unknown[] };
      const later = new Date(Date.parse(base.takenAt) + 30_000).toISOString();
      const down = { ...base, takenAt: later, id: `${base.host}@${later}`, containers: [], errors: [{ source: 'docker', message: 'docker: connect ENOENT /var/run/docker.sock' }] };
      await writeFile(join(dir, 'a.json'), JSON.stringify(base));
      await writeFile(join(dir, 'b.json'), JSON.stringify(down));
      const r = await cli('rules', 'test', join(dir, 'a.json'), join(dir, 'b.json'));
      const row = r.out.split('\n').find((l) => l.startsWith('unmanaged-gpu-container'));
      expect(row).toMatch(/firing \(stale\)/);
      expect(row).toContain('not re-checked since 2026-11-25 17:18 UTC: docker unreadable'); // when docker was first found unreadable
      const json = JSON.parse((await cli('rules', 'test', join(dir, 'a.json'), join(dir, 'b.json'), '--json')).out) as { rule: string; state: string; stale: unknown }[];
      expect(json.find((a) => a.rule === 'unmanaged-gpu-container')).toMatchObject({ state: 'firing', stale: { since: later, sources: ['docker'] } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
