import { describe, expect, it } from 'vitest';
import type { Alert } from '../alerts/alert.ts';
import { routingFrom, TEST_WEBHOOK } from '../config/routing/test-support.ts';
import type { EmailReceiver } from '../config/routing/types.ts';
import type { Destination } from '../notify/types.ts';
import { channelKeyOf, destinationFromRouting, emailSettingsByReceiver, recipientsFromRouting } from './notifications.ts';

const ROUTING = `route:\n  receiver: ops\nreceivers:\n  - name: ops\n    slack: {webhook_url: "${TEST_WEBHOOK}"}\n`;

function alertFor(user: string): Alert {
  const at = '2026-11-25T10:00:00.000Z';
  return {
    fingerprint: 'f', rule: 'unmanaged-gpu-container', host: 'ds01', severity: 'warning', stage: null, labels: { user },
    annotations: { summary: '', description: '' }, notify: ['owner'], state: 'firing', activeSince: at, firedAt: at,
    resolvedAt: null, lastMatchedAt: at, updatedAt: at,
  };
}

describe('recipientsFromRouting: log lines', () => {
  it('a user name from a snapshot (a container label) cannot add a line to the log', async () => {
    const logs: string[] = [];
    recipientsFromRouting(await routingFrom(ROUTING), null, (l) => logs.push(l))(alertFor('mallory\ngpuwarden: forged\u001b[2K'));
    expect(logs).toHaveLength(1);
    expect(logs[0]).not.toMatch(/[\u0000-\u001f]/);
    expect(logs[0]).toContain('mallory\\ngpuwarden: forged\\x1b[2K');
  });
});

const MAIL_ROUTING = [
  'route: {receiver: ops}',
  'receivers:',
  `  - name: ops\n    slack: {webhook_url: "${TEST_WEBHOOK}"}`,
  '  - name: smtp-mail\n    email: {host: relay.example.org, tls: none, auth: {username: gw, password: pw}, from: gw@example.org}',
  '  - name: api-mail\n    email: {http_api: {url: "https://api.resend.com/emails", token: re_TOKEN123}, from: "GW <gw@example.org>", to: [ops@example.org]}',
].join('\n');

describe('email receivers in the notifiers\' terms', () => {
  it('emailSettingsByReceiver: SMTP settings or an HTTP mail API, by receiver name (Slack receivers are not in it)', async () => {
    const settings = emailSettingsByReceiver(await routingFrom(MAIL_ROUTING));
    expect([...settings.keys()]).toEqual(['smtp-mail', 'api-mail']);
    expect(settings.get('smtp-mail')).toEqual({
      host: 'relay.example.org', port: 25, secure: false, ignoreTLS: true, requireTLS: false, auth: { user: 'gw', pass: 'pw' }, from: 'gw@example.org', timeoutMs: 30_000,
    });
    expect(settings.get('api-mail')).toEqual({ transport: 'http_api', url: 'https://api.resend.com/emails', token: 're_TOKEN123', from: 'GW <gw@example.org>', timeoutMs: 10_000 });
  });

  it('channel keys: an SMTP server by host and port, a mail API by a hash of its URL (never the URL or the token)', async () => {
    const routing = await routingFrom(MAIL_ROUTING);
    const email = (name: string) => routing.receivers.get(name) as EmailReceiver;
    const to: Destination = { kind: 'email', to: ['a@example.org'] };
    expect(channelKeyOf(to, email('smtp-mail'))).toBe('email:relay.example.org:25');
    const apiKey = channelKeyOf(to, email('api-mail'));
    expect(apiKey).toMatch(/^email-api:[0-9a-f]{12}$/);
    expect(apiKey).not.toContain('resend');
    const other = await routingFrom(MAIL_ROUTING.replace('https://api.resend.com/emails', 'https://relay.example.org/send'));
    expect(channelKeyOf(to, other.receivers.get('api-mail') as EmailReceiver)).not.toBe(apiKey);
    expect(channelKeyOf(to, null)).toBe('email:unconfigured');
  });
});

describe('Teams and generic webhook receivers at send time', () => {
  const TEAMS = 'https://x.logic.azure.com/workflows/a/triggers/manual/paths/invoke?sig=SIGSECRET1';
  const HOOK = 'https://am.example.org/hooks/HOOKSECRET1';
  const text = [
    'route: {receiver: t}',
    'receivers:',
    `  - {name: t, teams: {webhook_url: "${TEAMS}"}}`,
    `  - {name: w, webhook: {url: "${HOOK}", bearer_token: TOKSECRET1, max_alerts: 7}}`,
    '  - {name: m, email: {host: relay.example.org, from: gw@example.org, to: [ops@example.org]}}',
  ].join('\n');

  it('channel keys: a short hash per URL, per kind, never the URL', async () => {
    const teams = channelKeyOf({ kind: 'teams', webhookUrl: TEAMS }, null);
    const hook = channelKeyOf({ kind: 'webhook', url: HOOK, bearerToken: null, maxAlerts: 0 }, null);
    expect(teams).toMatch(/^teams:[0-9a-f]{12}$/);
    expect(hook).toMatch(/^webhook:[0-9a-f]{12}$/);
    expect(channelKeyOf({ kind: 'teams', webhookUrl: `${TEAMS}2` }, null)).not.toBe(teams);
  });

  it('secrets come from the config, not the outbox row; a row queued before a receiver changed kind (old rows included) goes the new way', async () => {
    const destinationOf = destinationFromRouting(await routingFrom(text));
    expect(destinationOf('t', { kind: 'teams' })).toEqual({ kind: 'teams', webhookUrl: TEAMS });
    expect(destinationOf('w', { kind: 'webhook' })).toEqual({ kind: 'webhook', url: HOOK, bearerToken: 'TOKSECRET1', maxAlerts: 7 });
    // Rows written before teams/webhook existed hold slack or email destinations: still readable.
    expect(destinationOf('t', { kind: 'slack', mention: 'U1' })).toEqual({ kind: 'teams', webhookUrl: TEAMS });
    expect(destinationOf('m', { kind: 'teams' })).toEqual({ kind: 'email', to: ['ops@example.org'] });
    expect(destinationOf('gone', { kind: 'webhook' })).toBeNull();
  });
});
