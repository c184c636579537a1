import { describe, expect, it } from 'vitest';
import type { Alert } from '../alerts/alert.ts';
import { routingFrom, TEST_WEBHOOK } from '../config/routing/test-support.ts';
import type { EmailReceiver } from '../config/routing/types.ts';
import type { Destination } from '../notify/types.ts';
import { channelKeyOf, emailSettingsByReceiver, recipientsFromRouting } from './notifications.ts';

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
