// Receivers of kind teams: (a Power Automate workflow webhook, as DS01's Alertmanager msteamsv2_configs) and
// webhook: (Alertmanager's webhook payload): what loads, and every problem with its line, secrets never quoted.
import { describe, expect, it } from 'vitest';
import { parseRoutingConfig } from './parse-routing.ts';
import { routingFrom, routingProblems, usersFrom } from './test-support.ts';
import type { TeamsReceiver, WebhookReceiver } from './types.ts';

const TEAMS_URL = 'https://prod-00.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SIGSECRET123';
const HOOK_URL = 'https://am.example.org/hooks/HOOKSECRET123';
const TOKEN = 'wh_TOKENSECRET_0123';

/** A routing file whose root receiver is `r` with this channel body (the lines indented under it). */
function yaml(channel: string, lines: string[]): string {
  return ['route:', '  receiver: r', 'receivers:', '  - name: r', `    ${channel}:`, ...lines.map((l) => `      ${l}`)].join('\n');
}

describe('teams: receivers', () => {
  it("loads DS01's setup: the workflow URL from a file (trimmed), relative to the config", async () => {
    const c = await routingFrom(yaml('teams', ['webhook_url_file: runtime/teams-webhook-url.txt']), {}, { '/cfg/runtime/teams-webhook-url.txt': `${TEAMS_URL}\n` });
    expect(c.receivers.get('r')).toEqual({ kind: 'teams', name: 'r', webhookUrl: TEAMS_URL, secretSource: 'webhook_url_file runtime/teams-webhook-url.txt' } satisfies TeamsReceiver);
  });

  it('from the environment; a value that is not a URL is named by its variable, never quoted', async () => {
    const c = await routingFrom(yaml('teams', ['webhook_url_env: TEAMS_URL']), { TEAMS_URL });
    expect(c.receivers.get('r')).toMatchObject({ kind: 'teams', webhookUrl: TEAMS_URL });
    const problems = await routingProblems(yaml('teams', ['webhook_url_env: TEAMS_URL']), { TEAMS_URL: 'not a url SIGSECRET123' });
    expect(problems).toEqual(['notifications.yaml:6: receivers[0].teams.webhook_url_env: environment variable TEAMS_URL does not hold an http(s) URL (a Teams workflow webhook: https://...logic.azure.com/workflows/...)']);
  });

  it('needs exactly one URL source', async () => {
    expect(await routingProblems(yaml('teams', ['{}']).replace('teams:\n      {}', 'teams: {}'))).toEqual(['notifications.yaml:5: receivers[0].teams: needs one of webhook_url, webhook_url_file or webhook_url_env']);
  });
});

describe('webhook: receivers', () => {
  it('loads the URL, an optional bearer token and max_alerts', async () => {
    const c = await routingFrom(yaml('webhook', ['url_env: HOOK_URL', 'bearer_token_env: HOOK_TOKEN', 'max_alerts: 20']), { HOOK_URL, HOOK_TOKEN: `${TOKEN}\n` });
    expect(c.receivers.get('r')).toEqual({ kind: 'webhook', name: 'r', url: HOOK_URL, bearerToken: TOKEN, maxAlerts: 20, secretSource: 'url_env HOOK_URL' } satisfies WebhookReceiver);
    const plain = await routingFrom(yaml('webhook', [`url: ${HOOK_URL}`]));
    expect(plain.receivers.get('r')).toMatchObject({ bearerToken: null, maxAlerts: 0, secretSource: 'url inline' });
  });

  it('problems name the key and line: two token sources, a negative max_alerts, a missing token variable', async () => {
    const problems = await routingProblems(yaml('webhook', [`url: ${HOOK_URL}`, 'bearer_token_env: A', `bearer_token: ${TOKEN}`, 'max_alerts: -1']));
    expect(problems).toEqual([
      'notifications.yaml:5: receivers[0].webhook: give only one of bearer_token, bearer_token_env',
      'notifications.yaml:9: receivers[0].webhook.max_alerts: must be 0 (all) or more',
    ]);
    expect(problems.join('\n')).not.toContain('SECRET');
    expect(await routingProblems(yaml('webhook', [`url: ${HOOK_URL}`, 'bearer_token_env: HOOK_TOKEN']))).toEqual([
      'notifications.yaml:7: receivers[0].webhook.bearer_token_env: environment variable HOOK_TOKEN is not set',
    ]);
  });
});

describe('one channel per receiver, and hints for Alertmanager keys', () => {
  it('two channels are refused, naming both', async () => {
    const text = ['route: {receiver: r}', 'receivers:', `  - {name: r, teams: {webhook_url: "${TEAMS_URL}"}, webhook: {url: "${HOOK_URL}"}}`].join('\n');
    expect(await routingProblems(text)).toEqual(['notifications.yaml:3: receivers[0]: give only one of teams: or webhook: (one channel per receiver)']);
  });

  it("msteamsv2_configs (DS01's alertmanager.yml) is answered with the teams: form", async () => {
    const text = ['route: {receiver: r}', 'receivers:', '  - name: r', '    msteamsv2_configs: [{webhook_url_file: x}]'].join('\n');
    expect((await routingProblems(text)).join('\n')).toContain('write teams: {webhook_url_file: ...}');
  });

  it('users.yaml names a teams receiver where a slack one is needed: said with both kinds', async () => {
    const routing = await routingFrom(yaml('teams', [`webhook_url: "${TEAMS_URL}"`]));
    expect(() => usersFrom('default: {slack_receiver: r}', routing)).toThrow('"r" is a teams receiver; slack_receiver needs a slack receiver');
  });

  it('a dry run (routes test) loads them with no variable set and no file present', async () => {
    const text = ['route: {receiver: t}', 'receivers:', '  - {name: t, teams: {webhook_url_file: /nowhere/teams.url}}', '  - {name: w, webhook: {url_env: HOOK_URL, bearer_token_env: HOOK_TOKEN}}'].join('\n');
    const c = await parseRoutingConfig(text, { file: 'n.yaml', baseDir: '/cfg', env: {}, readTextFile: () => Promise.reject(new Error('read')), dryRun: true });
    expect(c.receivers.get('t')).toMatchObject({ kind: 'teams', webhookUrl: '', secretSource: 'webhook_url_file /nowhere/teams.url' });
    expect(c.receivers.get('w')).toMatchObject({ kind: 'webhook', url: '', bearerToken: '', secretSource: 'url_env HOOK_URL' });
  });
});
