import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadRoutingConfig, loadUserDirectory } from './load.ts';
import type { EmailReceiver, SlackReceiver, SmtpEmailReceiver } from './types.ts';

const DIR = 'test/fixtures/routing';
const SECRETS = resolve(DIR, 'secrets');
const ENV = { SLACK_URL: 'https://hooks.slack.com/services/T0/B0/ENVSLACKSECRET' };

/** Every secret any fixture holds or the tests pass in: none may appear in any message. */
const SECRET_TEXTS = ['SECRET', 'hooks.slack.com/services/T0', 'this-is-not', '98765432', 's3cret', 'envpw'];

async function messageOf(file: string, env: Record<string, string> = ENV): Promise<string> {
  try {
    await loadRoutingConfig(file, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message.replaceAll(`${process.cwd()}/`, '');
    throw err;
  }
  throw new Error(`${file} loaded without error`);
}

/** One fixture per config error: the exact message (file:line: key.path: message), every problem of the file. */
const ERRORS: Record<string, string[]> = {
  'alertmanager-match.yaml': [`5: route.routes[0].match: unknown key: use matchers: ["name=value"] (Alertmanager's match / match_re are not supported)`],
  'backoff-factor.yaml': ['4: route.repeat_backoff.factor: must be at least 1 (1 = no backoff)'],
  'bad-address.yaml': ['9: receivers[0].email.to[1]: "admins" is not an email address'],
  'bad-backoff.yaml': ['7: route.routes[0].repeat_backoff.max: must be at least the repeat_interval (4h)'],
  'bad-duration.yaml': [
    '4: route.group_wait: invalid duration "30 s": no spaces allowed; use whole numbers with units y, w, d, h, m, s, ms, largest first, e.g. 30s, 5m, 1h30m, 1d, 1w',
    '5: route.repeat_interval: invalid duration "4": a unit is required (4s?); use whole numbers with units y, w, d, h, m, s, ms, largest first, e.g. 30s, 5m, 1h30m, 1d, 1w',
  ],
  'bad-matcher.yaml': [
    '5: route.routes[0].matchers[0]: "severity==critical" is not a matcher: use a single "=" (or "=~" for a regex); write name=value, name!=value, name=~regex or name!~regex',
  ],
  'bad-regex.yaml': ['5: route.routes[0].matchers[0]: invalid regex "gpu-(temp": Unterminated group'],
  'bad-tls.yaml': ['8: receivers[0].email.tls: must be starttls, tls or none'],
  'bad-webhook-file.yaml': [
    '7: receivers[0].slack.webhook_url_file: the file test/fixtures/routing/secrets/bad.url does not hold an http(s) URL (a Slack incoming webhook: https://hooks.slack.com/services/...)',
  ],
  'bad-webhook-inline.yaml': ['7: receivers[0].slack.webhook_url: is not an http(s) URL (a Slack incoming webhook: https://hooks.slack.com/services/...)'],
  'duplicate-key.yaml': ['5: route.group_wait: duplicate key (first defined on line 4)'],
  'duplicate-receiver.yaml': ['8: receivers[1].name: receiver "ops" is defined twice (first on line 5)'],
  'empty.yaml': [': is empty: a routing config needs route: and receivers:'],
  'email-no-transport.yaml': ['6: receivers[0].email: needs host: (SMTP) or http_api: (an HTTPS mail API)'],
  'email-two-transports.yaml': ['6: receivers[0].email: give only one of host: (SMTP) or http_api:'],
  'email-without-to.yaml': ['3: route.receiver: email receiver "ops" has no to: list; a receiver in the route tree writes to admins, so give it their addresses'],
  'empty-secret-file.yaml': ['7: receivers[0].slack.webhook_url_file: test/fixtures/routing/secrets/empty.url is empty'],
  'group-by-all-mixed.yaml': ['4: route.group_by[1]: "..." means every label: list it alone'],
  'http-api-not-https.yaml': ['8: receivers[0].email.http_api.url: must be an https:// URL (http:// only for 127.0.0.1 or localhost, a local relay)'],
  'http-api-smtp-key.yaml': ['10: receivers[0].email.tls: is an SMTP setting (it goes with host:); an http_api: receiver does not use it'],
  'missing-env.yaml': ['7: receivers[0].slack.webhook_url_env: environment variable GPUWARDEN_TEST_UNSET_URL is not set'],
  'missing-secret-file.yaml': ['10: receivers[0].email.auth.password_file: cannot read test/fixtures/routing/secrets/no-such.password (no such file)'],
  'no-channel.yaml': ['5: receivers[0]: needs one of slack:, email:, teams: or webhook:'],
  'no-receivers.yaml': ['4: receivers: needs at least one receiver'],
  'no-secret-source.yaml': ['6: receivers[0].slack: needs one of webhook_url, webhook_url_file or webhook_url_env'],
  'not-yaml.yaml': ['5: not valid YAML: Missing closing "quote'],
  'receiver-name-case.yaml': ['5: receivers[0].name: receiver name "Ops Team" must be kebab-case (e.g. "ops-slack")'],
  'reserved-receiver-name.yaml': ['5: receivers[0].name: "owner" is built in (rules write notify: [owner]); choose another receiver name'],
  'root-continue.yaml': ['4: route.continue: the root route cannot have continue (it has no siblings)'],
  'root-matchers.yaml': ['4: route.matchers: the root route matches every alert: it cannot have matchers (put them on a child route)'],
  'root-no-receiver.yaml': ['2: route: the root route needs a receiver: every alert that no child route takes goes there'],
  'secret-wrong-type.yaml': ['10: receivers[0].email.auth.password: expected a string, got a number'],
  'send-resolved-rules.yaml': [
    '5: route.send_resolved_rules.GPU_Temperature: rule id "GPU_Temperature" must be kebab-case (e.g. "gpu-temperature")',
    '6: route.send_resolved_rules.gpu-waste: expected true or false, got "no"',
  ],
  'two-channels.yaml': ['5: receivers[0]: give only one of slack: or email: (one channel per receiver)'],
  'two-secret-sources.yaml': ['6: receivers[0].slack: give only one of webhook_url, webhook_url_file'],
  'undefined-receiver.yaml': ['6: route.routes[0].receiver: receiver "ops-critcal" is not defined under receivers: (did you mean ops-critical?)'],
  'unknown-key.yaml': ['4: route.gruop_by: unknown key (did you mean group_by?)'],
  'unknown-top-key.yaml': ["8: inhibit_rules: unknown key: inhibition is built in: a rule's critical stage replaces its warning (the same alert), nothing to configure"],
  'wrong-type.yaml': ['6: route.routes[0].continue: expected true or false, got "yes"'],
  'zero-interval.yaml': ['4: route.group_interval: must be longer than 0s'],
};

describe('loadRoutingConfig: one fixture per error', () => {
  it('has a fixture for every case and a case for every fixture', () => {
    const files = readdirSync(`${DIR}/errors`).filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(Object.keys(ERRORS).sort());
  });

  it.each(Object.entries(ERRORS))('%s', async (name, expected) => {
    const file = `${DIR}/errors/${name}`;
    expect(await messageOf(file)).toBe(expected.map((line) => `${file}${line.startsWith(':') ? '' : ':'}${line}`).join('\n'));
  });

  it('every problem of the error fixtures is an error with a line and never holds a secret', async () => {
    for (const name of Object.keys(ERRORS)) {
      const file = `${DIR}/errors/${name}`;
      const message = await messageOf(file);
      for (const secret of SECRET_TEXTS) expect(message, `${name} leaks ${secret}`).not.toContain(secret);
      try {
        await loadRoutingConfig(file, ENV);
      } catch (err) {
        for (const p of (err as ConfigError).problems) expect([p.severity, typeof p.line]).toEqual(['error', name === 'empty.yaml' ? 'object' : 'number']);
      }
    }
  });

  it('an empty file and a missing file are reported without a line', async () => {
    expect(await messageOf(`${DIR}/errors/empty.yaml`)).toBe(`${DIR}/errors/empty.yaml: is empty: a routing config needs route: and receivers:`);
    expect(await messageOf(`${DIR}/no-such.yaml`)).toBe(`${DIR}/no-such.yaml: cannot be read (no such file)`);
  });
});

describe('loadRoutingConfig: secrets', () => {
  const env = { TEST_CRITICAL_URL: 'https://hooks.slack.com/services/T0/B1/ENVSECRET', TEST_SMTP_PASSWORD: 'envpw' };

  it('reads webhook URLs and passwords from files (relative to the config), the environment, and inline', async () => {
    const c = await loadRoutingConfig(`${DIR}/valid/notifications.yaml`, env);
    expect([...c.receivers.keys()]).toEqual(['ops-slack', 'ops-critical', 'ops-email', 'users-email', 'users-slack']);
    expect((c.receivers.get('ops-slack') as SlackReceiver).webhookUrl).toBe('https://hooks.slack.com/services/T000/B000/FILESECRETFILE');
    expect((c.receivers.get('ops-critical') as SlackReceiver).webhookUrl).toBe(env.TEST_CRITICAL_URL);
    expect((c.receivers.get('users-slack') as SlackReceiver).webhookUrl).toBe('https://hooks.slack.com/services/T000/B000/INLINESECRET');
    expect(c.receivers.get('ops-email')).toEqual({
      kind: 'email',
      transport: 'smtp',
      name: 'ops-email',
      smtp: { host: 'smtp.example.org', port: 2525, tls: 'none', auth: { username: 'gpuwarden', password: 's3cret-SMTP-PASSWORD' } },
      from: 'gpuwarden <gw@example.org>',
      to: ['ops@example.org', 'oncall@example.org'],
    } satisfies EmailReceiver);
    expect((c.receivers.get('users-email') as SmtpEmailReceiver).smtp).toEqual({
      host: 'smtp.example.org',
      port: 465,
      tls: 'tls',
      auth: { username: 'gpuwarden', password: 'envpw' },
    });
    expect(c.source).toBe(`${DIR}/valid/notifications.yaml`);
  });

  it('names every missing variable (never a value) and stops', async () => {
    expect(await messageOf(`${DIR}/valid/notifications.yaml`, {})).toBe(
      [
        `${DIR}/valid/notifications.yaml:36: receivers[1].slack.webhook_url_env: environment variable TEST_CRITICAL_URL is not set`,
        `${DIR}/valid/notifications.yaml:53: receivers[3].email.auth.password_env: environment variable TEST_SMTP_PASSWORD is not set`,
      ].join('\n'),
    );
  });

  it('an empty variable is an error too; a variable holding a non-URL is named, its value is not', async () => {
    const empty = await messageOf(`${DIR}/valid/notifications.yaml`, { ...env, TEST_CRITICAL_URL: '  ' });
    expect(empty).toBe(`${DIR}/valid/notifications.yaml:36: receivers[1].slack.webhook_url_env: environment variable TEST_CRITICAL_URL is empty`);
    const bad = await messageOf(`${DIR}/valid/notifications.yaml`, { ...env, TEST_CRITICAL_URL: 'ftp://ENVSECRET' });
    expect(bad).toBe(
      `${DIR}/valid/notifications.yaml:36: receivers[1].slack.webhook_url_env: environment variable TEST_CRITICAL_URL does not hold an http(s) URL (a Slack incoming webhook: https://hooks.slack.com/services/...)`,
    );
    expect(bad).not.toContain('ENVSECRET');
  });

  it('the secret fixtures are where the tests expect them', () => {
    expect(readdirSync(SECRETS).sort()).toEqual(['bad.url', 'empty.url', 'slack.url', 'smtp.password']);
  });
});

describe('the annotated examples in config/', () => {
  const env = {
    GPUWARDEN_SLACK_ADMINS_URL: 'https://hooks.slack.com/services/T0/B0/ADMINS',
    GPUWARDEN_SLACK_CRITICAL_URL: 'https://hooks.slack.com/services/T0/B0/CRITICAL',
    GPUWARDEN_SLACK_USERS_URL: 'https://hooks.slack.com/services/T0/B0/USERS',
    GPUWARDEN_SMTP_PASSWORD: 'pw',
  };

  it('notifications.example.yaml loads and is DS01\'s routing: group by alertname, 5m/5m/4h, critical 30s/1h', async () => {
    const c = await loadRoutingConfig('config/notifications.example.yaml', env);
    expect(c.route).toMatchObject({ receiver: 'admins-slack', groupBy: ['alertname'], groupWaitS: 300, groupIntervalS: 300, repeatIntervalS: 14_400, sendResolved: true });
    expect(c.route.routes[0]).toMatchObject({ receiver: 'admins-critical', groupWaitS: 30, repeatIntervalS: 3600, continue: true });
    expect([...c.receivers.values()].map((r) => `${r.kind}:${r.name}`)).toEqual([
      'slack:admins-slack',
      'slack:admins-critical',
      'email:admins-email',
      'email:users-email',
      'slack:users-slack',
    ]);
  });

  it('users.example.yaml loads against it, with DS01-style names', async () => {
    const c = await loadRoutingConfig('config/notifications.example.yaml', env);
    const d = await loadUserDirectory('config/users.example.yaml', c);
    expect([...d.users.keys()]).toEqual([
      'h.baker@hertie-school.lan',
      'a.researcher@hertie-school.lan',
      '228755@hertie-school.lan',
      'q.postdoc@hertie-school.lan',
      'datasciencelab',
    ]);
    expect(d.defaults).toEqual({ emailPattern: '{local}@hertie-school.org', emailReceiver: 'users-email', slackReceiver: 'users-slack', notify: ['email', 'slack'] });
  });
});
