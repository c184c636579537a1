// The Worker's config loading (in Node here; test/workers/ runs it in workerd): the bundled pack parses with the
// Node loaders, routing secrets come from env; SMTP email receivers and secrets from files are refused at load with a
// clear sentence, HTTP mail API (http_api:) receivers are accepted.
import { describe, expect, it } from 'vitest';
import { loadRuleSet } from '../service/make-core.ts';
import { EMAIL_ON_WORKERS, loadWorkerConfig } from './worker-config.ts';
import type { WorkerPack } from './worker-pack-types.ts';
import { WORKER_PACK } from './worker-pack.ts';

const NOW = new Date('2026-11-25T12:00:00Z');
const SLACK_ROUTING = `route:\n  receiver: admins-slack\nreceivers:\n  - name: admins-slack\n    slack:\n      webhook_url_env: GW_SLACK_URL\n`;
const MAIL_RECEIVER = `  - name: admins-mail\n    email:\n      http_api:\n        url: https://api.resend.com/emails\n        token_env: GW_MAIL_TOKEN\n      from: gw@example.org\n      to: [ops@example.org]\n`;
const withRouting = (text: string): WorkerPack => ({ ...WORKER_PACK, notifications: { file: 'notifications.yaml', text } });

describe('loadWorkerConfig', () => {
  it('compiles the bundled pack to the same rules as loading rules/ from disk', async () => {
    const config = await loadWorkerConfig(WORKER_PACK, {}, NOW, () => {});
    expect([...config.rules.ruleIds].sort()).toEqual([...loadRuleSet('rules').ruleIds].sort());
    expect(config.routing).toBeNull();
    expect(config.recipientsOf).toBeNull();
    expect(config.limits.probeIntervalS).toBe(30);
  });

  it('reads a Slack receiver’s webhook from a Worker secret (env)', async () => {
    const config = await loadWorkerConfig(withRouting(SLACK_ROUTING), { GW_SLACK_URL: 'https://hooks.slack.example/services/T/B/secret123' }, NOW, () => {});
    expect(config.routing?.receivers.get('admins-slack')).toMatchObject({ kind: 'slack', webhookUrl: 'https://hooks.slack.example/services/T/B/secret123' });
    expect(config.recipientsOf).not.toBeNull();
  });

  it('names a missing secret, never a file', async () => {
    await expect(loadWorkerConfig(withRouting(SLACK_ROUTING), {}, NOW, () => {})).rejects.toThrow('environment variable GW_SLACK_URL is not set');
    const fromFile = SLACK_ROUTING.replace('webhook_url_env: GW_SLACK_URL', 'webhook_url_file: slack.url');
    await expect(loadWorkerConfig(withRouting(fromFile), {}, NOW, () => {})).rejects.toThrow(
      'notifications.yaml:6: receivers[0].slack.webhook_url_file: there are no files on Workers: store the secret with `wrangler secret put NAME` and write webhook_url_env: NAME',
    );
  });

  it('refuses an SMTP email receiver at load, before its secrets are looked at, naming it and its line', async () => {
    const text = `${SLACK_ROUTING}  - name: admins-mail\n    email:\n      host: smtp.example.org\n      from: gw@example.org\n      to: [ops@example.org]\n      auth: {username: gw, password_env: GW_SMTP_PASSWORD}\n`;
    await expect(loadWorkerConfig(withRouting(text), { GW_SLACK_URL: 'https://h.example/x/secret123' }, NOW, () => {})).rejects.toThrow(EMAIL_ON_WORKERS);
    await expect(loadWorkerConfig(withRouting(text), {}, NOW, () => {})).rejects.toThrow(`notifications.yaml:9: receivers[1].email.host: receiver "admins-mail": ${EMAIL_ON_WORKERS}`);
    expect(EMAIL_ON_WORKERS).toContain('use http_api: instead of host: on Workers');
  });

  it('accepts an http_api email receiver, its token from a Worker secret (env) or inline', async () => {
    const config = await loadWorkerConfig(withRouting(`${SLACK_ROUTING}${MAIL_RECEIVER}`), { GW_SLACK_URL: 'https://h.example/x/secret123', GW_MAIL_TOKEN: 're_worker_token' }, NOW, () => {});
    expect(config.routing?.receivers.get('admins-mail')).toEqual({
      kind: 'email',
      transport: 'http_api',
      name: 'admins-mail',
      httpApi: { url: 'https://api.resend.com/emails', token: 're_worker_token' },
      from: 'gw@example.org',
      to: ['ops@example.org'],
    });
    const inline = MAIL_RECEIVER.replace('token_env: GW_MAIL_TOKEN', 'token: re_inline_token');
    const fromInline = await loadWorkerConfig(withRouting(`${SLACK_ROUTING}${inline}`), { GW_SLACK_URL: 'https://h.example/x/secret123' }, NOW, () => {});
    expect(fromInline.routing?.receivers.get('admins-mail')).toMatchObject({ httpApi: { token: 're_inline_token' } });
  });

  it('refuses token_file on Workers at load, with its line, pointing to token_env and a Worker secret', async () => {
    const fromFile = MAIL_RECEIVER.replace('token_env: GW_MAIL_TOKEN', 'token_file: /etc/gpuwarden/mail.token');
    await expect(loadWorkerConfig(withRouting(`${SLACK_ROUTING}${fromFile}`), { GW_SLACK_URL: 'https://h.example/x/secret123' }, NOW, () => {})).rejects.toThrow(
      'notifications.yaml:11: receivers[1].email.http_api.token_file: there are no files on Workers: store the secret with `wrangler secret put NAME` and write token_env: NAME',
    );
  });
});
