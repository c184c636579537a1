// The Worker's config loading (in Node here; test/workers/ runs it in workerd): the bundled pack parses with the
// Node loaders, routing secrets come from env, email receivers are refused at load with a clear sentence.
import { describe, expect, it } from 'vitest';
import { loadRuleSet } from '../service/make-core.ts';
import { EMAIL_ON_WORKERS, loadWorkerConfig } from './worker-config.ts';
import type { WorkerPack } from './worker-pack-types.ts';
import { WORKER_PACK } from './worker-pack.ts';

const NOW = new Date('2026-11-25T12:00:00Z');
const SLACK_ROUTING = `route:\n  receiver: admins-slack\nreceivers:\n  - name: admins-slack\n    slack:\n      webhook_url_env: GW_SLACK_URL\n`;
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
    await expect(loadWorkerConfig(withRouting(fromFile), {}, NOW, () => {})).rejects.toThrow('no files on Workers');
  });

  it('refuses an email receiver at load, before its secrets are looked at', async () => {
    const text = `${SLACK_ROUTING}  - name: admins-mail\n    email:\n      host: smtp.example.org\n      from: gw@example.org\n      to: [ops@example.org]\n      auth: {username: gw, password_env: GW_SMTP_PASSWORD}\n`;
    await expect(loadWorkerConfig(withRouting(text), { GW_SLACK_URL: 'https://h.example/x/secret123' }, NOW, () => {})).rejects.toThrow(EMAIL_ON_WORKERS);
    await expect(loadWorkerConfig(withRouting(text), {}, NOW, () => {})).rejects.toThrow('admins-mail');
  });
});
