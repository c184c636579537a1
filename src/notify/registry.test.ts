import { describe, expect, it } from 'vitest';
import { startSmtpServer } from '../../test/support/smtp.ts';
import { startWebhookReceiver } from '../../test/support/webhook-receiver.ts';
import type { Notifier, RenderedMessage } from './notifier.ts';
import { createNotifierRegistry, NOTIFIER_FACTORIES, type EmailSettings, type HttpMailConfig, type NotifierConfig, type NotifierFactories, type SmtpConfig } from './registry.ts';
import { renderMessage } from './render/render.ts';
import { goldenSamples } from './test-support.ts';
import type { Destination } from './types.ts';

const message = renderMessage(goldenSamples()['user-firing'].group);
const CONFIG: NotifierConfig = { slack: { timeoutMs: 2_000 }, smtp: null };
const SLACK: Destination = { kind: 'slack', webhookUrl: 'https://hooks.slack.com/services/T/B/x', mention: null };
const EMAIL: Destination = { kind: 'email', to: ['a@example.org'] };
const smtpAt = (host: string, over: Partial<SmtpConfig> = {}): SmtpConfig => ({ host, port: 25, secure: false, auth: null, from: 'g@example.org', timeoutMs: 1_000, ...over });
const apiAt = (url: string, over: Partial<HttpMailConfig> = {}): HttpMailConfig => ({ transport: 'http_api', url, token: 'tok', from: 'g@example.org', timeoutMs: 1_000, ...over });
/** A recorder's name for the email settings it was built from. */
const nameOf = (settings: EmailSettings): string => (settings.transport === 'http_api' ? `api ${settings.url}` : `email ${settings.host}`);

/** Factories that record which notifier (kind + settings) got which destination, and closes. */
function recording() {
  const seen: string[] = [];
  const built: string[] = [];
  const recorder = <D extends Destination>(name: string): Notifier<D> => ({
    send: (_m: RenderedMessage, d: D) => {
      seen.push(`${name}:${d.kind}`);
      return Promise.resolve({ ok: true });
    },
    close: () => {
      seen.push(`close ${name}`);
      return Promise.resolve();
    },
  });
  const factories: NotifierFactories = {
    slack: () => {
      built.push('slack');
      return recorder('slack');
    },
    email: (settings) => {
      built.push(nameOf(settings));
      return recorder(nameOf(settings));
    },
    teams: () => {
      built.push('teams');
      return recorder('teams');
    },
    webhook: () => {
      built.push('webhook');
      return recorder('webhook');
    },
  };
  return { seen, built, factories };
}

describe('notifier registry', () => {
  it('has a factory for every destination kind (the type makes it exhaustive; this guards the runtime object)', () => {
    const kinds: Destination['kind'][] = ['slack', 'email', 'teams', 'webhook'];
    expect(Object.keys(NOTIFIER_FACTORIES).sort()).toEqual([...kinds].sort());
  });

  it('dispatches each destination to its kind’s notifier', async () => {
    const { seen, factories } = recording();
    const registry = createNotifierRegistry({ ...CONFIG, smtp: smtpAt('mail.example.org') }, factories);
    await registry.send(message, EMAIL);
    await registry.send(message, SLACK);
    await registry.send(message, { kind: 'teams', webhookUrl: 'https://example.logic.azure.com/workflows/x' });
    await registry.send(message, { kind: 'webhook', url: 'https://am.example.org/hook', bearerToken: null, maxAlerts: 0 });
    expect(seen).toEqual(['email mail.example.org:email', 'slack:slack', 'teams:teams', 'webhook:webhook']);
  });

  it('uses a receiver’s own SMTP server, one notifier per distinct config, the default otherwise; closes each once', async () => {
    const { seen, built, factories } = recording();
    const emailByReceiver = new Map<string, EmailSettings>([
      ['admins-email', smtpAt('a.example.org')],
      ['users-email', smtpAt('u.example.org')],
      ['users-email-2', smtpAt('u.example.org')],
    ]);
    const registry = createNotifierRegistry({ ...CONFIG, smtp: smtpAt('default.example.org'), emailByReceiver }, factories);
    await registry.forReceiver('admins-email').send(message, EMAIL);
    await registry.forReceiver('users-email').send(message, EMAIL);
    await registry.forReceiver('users-email-2').send(message, EMAIL);
    await registry.forReceiver('other').send(message, EMAIL);
    await registry.forReceiver('admins-email').send(message, SLACK);
    expect(built).toEqual(['slack', 'teams', 'webhook', 'email a.example.org', 'email u.example.org', 'email default.example.org']);
    expect(seen).toEqual(['email a.example.org:email', 'email u.example.org:email', 'email u.example.org:email', 'email default.example.org:email', 'slack:slack']);
    seen.length = 0;
    await registry.close();
    await registry.close();
    expect(seen.sort()).toEqual(['close email a.example.org', 'close email default.example.org', 'close email u.example.org', 'close slack', 'close teams', 'close webhook']);
  });

  it('a receiver with an HTTP mail API gets its own notifier, one per distinct API config, beside SMTP ones', async () => {
    const { seen, built, factories } = recording();
    const emailByReceiver = new Map<string, EmailSettings>([
      ['admins-email', apiAt('https://api.resend.com/emails')],
      ['users-email', apiAt('https://api.resend.com/emails')],
      ['lab-email', apiAt('https://api.resend.com/emails', { token: 'other' })],
      ['smtp-email', smtpAt('s.example.org')],
    ]);
    const registry = createNotifierRegistry({ ...CONFIG, emailByReceiver }, factories);
    for (const r of ['admins-email', 'users-email', 'lab-email', 'smtp-email']) await registry.forReceiver(r).send(message, EMAIL);
    expect(built).toEqual(['slack', 'teams', 'webhook', 'api https://api.resend.com/emails', 'api https://api.resend.com/emails', 'email s.example.org']);
    expect(seen).toEqual(['api https://api.resend.com/emails:email', 'api https://api.resend.com/emails:email', 'api https://api.resend.com/emails:email', 'email s.example.org:email']);
    await registry.close();
  });

  it('without email settings an email send fails permanently with a plain sentence', async () => {
    const registry = createNotifierRegistry(CONFIG);
    const expected = { ok: false, retry: false, retryAfterMs: null, error: 'email: no SMTP server or mail API is configured for this receiver' };
    expect(await registry.send(message, EMAIL)).toEqual(expected);
    expect(await registry.forReceiver('users-email').send(message, EMAIL)).toEqual(expected);
    await registry.close();
  });

  it('sends for real through every built-in notifier and closes their transports', async () => {
    const receiver = await startWebhookReceiver();
    const smtp = await startSmtpServer();
    try {
      const registry = createNotifierRegistry({
        slack: { timeoutMs: 2_000 },
        smtp: { host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true, auth: null, from: 'gpuwarden@example.org', timeoutMs: 2_000 },
        emailByReceiver: new Map([['api-email', apiAt(receiver.url('/emails'), { token: 'api-token-1' })]]),
      });
      expect(await registry.send(message, { kind: 'slack', webhookUrl: receiver.url(), mention: null })).toEqual({ ok: true });
      expect(await registry.send(message, { kind: 'email', to: ['h.baker@hertie-school.lan'] })).toEqual({ ok: true });
      expect(await registry.forReceiver('api-email').send(message, { kind: 'email', to: ['ops@example.org'] })).toEqual({ ok: true });
      expect(receiver.requests.map((r) => [r.path, r.headers.authorization ?? null])).toEqual([
        ['/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', null],
        ['/emails', 'Bearer api-token-1'],
      ]);
      expect(receiver.requests[1]?.json).toMatchObject({ from: 'g@example.org', to: ['ops@example.org'], subject: message.email.subject });
      expect(await smtp.waitForMessages(1)).toHaveLength(1);
      await registry.close();
    } finally {
      await receiver.close();
      await smtp.close();
    }
  });
});
