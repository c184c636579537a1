import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../test/support/cli.ts';
import { describeDestination, describeTiming, parseLabelArgs, ROUTES_TEST_USAGE, routesTestCommand } from './routes-test.ts';
import { UsageError } from './usage-error.ts';

const CONFIG = 'config/notifications.example.yaml';
const USERS = 'config/users.example.yaml';
const ENV = {
  GPUWARDEN_SLACK_ADMINS_URL: 'https://hooks.slack.com/services/T0/B0/ADMINSSECRET',
  GPUWARDEN_SLACK_CRITICAL_URL: 'https://hooks.slack.com/services/T0/B0/CRITICALSECRET',
  GPUWARDEN_SLACK_USERS_URL: 'https://hooks.slack.com/services/T0/B0/USERSSECRET',
  GPUWARDEN_SMTP_PASSWORD: 'smtp-SECRET-pw',
};
const short = (url: string) => createHash('sha256').update(url).digest('hex').slice(0, 4);

const run = (args: string[], env: NodeJS.ProcessEnv = ENV) => runCommand(routesTestCommand, args, env);

describe('gpuwarden routes test', () => {
  it('a critical alert of h.baker: the person on Slack (their choice), the critical channel and the admins\' mailbox', async () => {
    const r = await run([
      'test',
      '--config',
      CONFIG,
      '--users',
      USERS,
      '--labels',
      'alertname=gpu-temperature,severity=critical,host=ds01,user=h.baker@hertie-school.lan',
      '--notify',
      'owner,admins',
    ]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toBe(
      [
        `users-slack  user h.baker@hertie-school.lan  slack (webhook_url_env GPUWARDEN_SLACK_USERS_URL) mentioning U04HBAKER01`,
        '  route      {}/{severity="critical"}/0',
        '  group key  {}/{severity="critical"}/0:{alertname="gpu-temperature", user="h.baker@hertie-school.lan"}',
        '  timing     group_by [alertname], group_wait 30s, group_interval 5m, repeat_interval 1h, send_resolved true',
        `admins-critical  admin  slack (webhook_url_env GPUWARDEN_SLACK_CRITICAL_URL)`,
        '  route      {}/{severity="critical"}/0',
        '  group key  {}/{severity="critical"}/0:{alertname="gpu-temperature"}',
        '  timing     group_by [alertname], group_wait 30s, group_interval 5m, repeat_interval 1h, send_resolved true',
        'admins-email  admin  email datasciencelab-admins@example.org',
        '  route      {}/{severity="critical"}/1',
        '  group key  {}/{severity="critical"}/1:{alertname="gpu-temperature"}',
        '  timing     group_by [alertname], group_wait 30s, group_interval 5m, repeat_interval 1h (×2 up to 1d), send_resolved true',
        '',
      ].join('\n'),
    );
  });

  it('never prints a webhook URL or a password', async () => {
    const r = await run(['--config', CONFIG, '--users', USERS, '--labels', 'alertname=x,severity=critical,user=a.researcher@hertie-school.lan', '--notify', 'owner,admins,users-slack']);
    expect(r.out + r.err).not.toMatch(/SECRET|hooks\.slack\.com/);
    expect(r.out).toContain('users-email  user a.researcher@hertie-school.lan  email a.researcher@hertie-school.org\n');
  });

  it('default --notify is admins: the route tree only, like amtool; regex route, inherited timing', async () => {
    const r = await run(['test', '--config', CONFIG, '--labels', 'alertname=capacity-low,severity=info,host=ds01']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        `admins-slack  admin  slack (webhook_url_env GPUWARDEN_SLACK_ADMINS_URL)`,
        '  route      {}/{alertname=~"capacity-low|fair-share"}/2',
        '  group key  {}/{alertname=~"capacity-low|fair-share"}/2:{alertname="capacity-low"}',
        '  timing     group_by [alertname], group_wait 5m, group_interval 5m, repeat_interval 12h, send_resolved true',
        '',
      ].join('\n'),
    );
  });

  it('lists who could not be reached, and why', async () => {
    const r = await run([
      '--config',
      CONFIG,
      '--users',
      USERS,
      '--labels',
      'alertname=idle-gpu-container,severity=warning,user=q.postdoc@hertie-school.lan',
      '--notify',
      'owner',
      '--notify',
      'ops-pager',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'no receiver',
        'skipped  owner q.postdoc@hertie-school.lan: opted out (notify: [])',
        'skipped  ops-pager: receiver "ops-pager" is not defined in the routing config',
        '',
      ].join('\n'),
    );
  });

  it('owner without --users: said, not guessed', async () => {
    const r = await run(['--config', CONFIG, '--labels', 'alertname=x,user=h.baker@hertie-school.lan', '--notify', 'owner']);
    expect(r.out).toBe('no receiver\nskipped  owner h.baker@hertie-school.lan: no user directory (users.yaml) is configured\n');
  });

  it('a numeric student id and an LDAP name through the email pattern', async () => {
    for (const [user, address] of [
      ['228755@hertie-school.lan', '228755@students.hertie-school.org'],
      ['p.professor@hertie-school.lan', 'p.professor@hertie-school.org'],
    ]) {
      const r = await run(['--config', CONFIG, '--users', USERS, '--labels', `alertname=gpu-quota,severity=warning,user=${user}`, '--notify', 'owner']);
      expect(r.out.split('\n')[0]).toBe(`users-email  user ${user}  email ${address}`);
    }
  });

  it('--json: the same, as data, with the destination summarised', async () => {
    const r = await run(['--config', CONFIG, '--users', USERS, '--labels', 'alertname=x,severity=warning,user=n.body', '--notify', 'owner,admins', '--json']);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.out) as { recipients: { receiver: string; destination: string; timing: { groupWaitS: number } }[]; skipped: unknown[] };
    expect(data.recipients.map((x) => [x.receiver, x.destination, x.timing.groupWaitS])).toEqual([
      ['users-email', 'email n.body@hertie-school.org', 300],
      ['admins-slack', `slack (webhook_url_env GPUWARDEN_SLACK_ADMINS_URL)`, 300],
    ]);
    expect(data.skipped).toEqual([]);
    expect(r.out).not.toContain('SECRET');
  });

  it('a note when alertname is missing', async () => {
    const r = await run(['--config', CONFIG, '--labels', 'severity=critical']);
    expect(r.err).toBe('note: no alertname label: routes that match on the rule id will not match\n');
    expect(r.code).toBe(0);
  });

  it('needs no secrets, like amtool config routes test: no variable set, no file read, values never checked', async () => {
    const r = await run(['--config', CONFIG, '--users', USERS, '--labels', 'alertname=x,severity=critical,user=h.baker@hertie-school.lan', '--notify', 'owner,admins'], {});
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('users-slack  user h.baker@hertie-school.lan  slack (webhook_url_env GPUWARDEN_SLACK_USERS_URL) mentioning U04HBAKER01\n');
    expect(r.out).toContain('admins-email  admin  email datasciencelab-admins@example.org\n');
    // A variable holding garbage is not read either: only notify test and serve read secrets.
    const garbage = await run(['--config', CONFIG, '--labels', 'alertname=x'], { GPUWARDEN_SLACK_ADMINS_URL: 'not a url SECRET' });
    expect([garbage.code, garbage.err]).toEqual([0, '']);
    expect(garbage.out).not.toContain('SECRET');
  });

  it('users.yaml errors exit 1 too, checked against the routing config', async () => {
    const r = await run(['--config', CONFIG, '--users', 'test/fixtures/routing/errors/users/undefined-receiver.yaml', '--labels', 'alertname=x']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `test/fixtures/routing/errors/users/undefined-receiver.yaml:3: default.email_receiver: receiver "user-email" is not defined in ${CONFIG} (did you mean users-email?)\n`,
    );
  });

  it('a missing config file: exit 1 with the reason', async () => {
    const r = await run(['--config', 'no/such.yaml', '--labels', 'alertname=x']);
    expect([r.code, r.err]).toEqual([1, 'no/such.yaml: cannot be read (no such file)\n']);
  });

  it.each([
    [[], 'routes test needs --config FILE'],
    [['--config', CONFIG], 'routes test needs --labels name=value,... (at least alertname and severity)'],
    [['--config', CONFIG, '--labels', 'alertname'], '--labels: "alertname" is not name=value'],
    [['--config', CONFIG, '--labels', 'bad-name=x'], '--labels: "bad-name" is not a label name (letters, digits, _)'],
    [['--config', CONFIG, '--labels', 'a=b', '--notify', ','], '--notify needs owner, admins or receiver names'],
    [['--config', CONFIG, '--labels', 'a=b', 'extra'], 'unexpected argument "extra"'],
  ])('bad usage %j: %s', async (args, message) => {
    await expect(run(args)).rejects.toThrow(new UsageError(message));
  });

  it('unknown flags are parseArgs errors (exit 2 through main)', async () => {
    await expect(run(['--config', CONFIG, '--label', 'a=b'])).rejects.toMatchObject({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
  });

  it('the usage names the command and every flag', () => {
    expect(ROUTES_TEST_USAGE.split('\n')[0]).toBe('gpuwarden routes test --config FILE [--users FILE] --labels k=v,... [--notify owner,admins,...] [--json]');
    for (const flag of ['--config', '--users', '--labels', '--notify', '--json']) expect(ROUTES_TEST_USAGE).toContain(flag);
  });
});

describe('helpers', () => {
  it('parseLabelArgs: comma lists, repeated flags, "=" inside values, blanks skipped', () => {
    expect(parseLabelArgs(['alertname=x,severity=critical', 'gpu=MIG-1=2, user = h.baker@x.lan ,'])).toEqual({
      alertname: 'x',
      severity: 'critical',
      gpu: 'MIG-1=2',
      user: 'h.baker@x.lan',
    });
    expect(parseLabelArgs(['a=', 'a=2'])).toEqual({ a: '2' });
  });

  it('describeDestination (notify test, secrets read): a short hash for webhooks, addresses for email', () => {
    const url = 'https://hooks.slack.com/services/T/B/SECRET';
    expect(describeDestination({ kind: 'slack', webhookUrl: url, mention: null })).toBe(`slack (webhook ${short(url)}…)`);
    expect(describeDestination({ kind: 'slack', webhookUrl: url, mention: 'U1' })).toBe(`slack (webhook ${short(url)}…) mentioning U1`);
    expect(describeDestination({ kind: 'email', to: ['a@x.org', 'b@x.org'] })).toBe('email a@x.org, b@x.org');
  });

  it('describeTiming: backoff only when it grows', () => {
    const t = { groupBy: ['...'], groupWaitS: 0, groupIntervalS: 90, repeatIntervalS: 3600, repeatBackoff: { factor: 1, maxS: 3600 }, sendResolved: false };
    expect(describeTiming(t)).toBe('group_by [...], group_wait 0s, group_interval 1m30s, repeat_interval 1h, send_resolved false');
    expect(describeTiming({ ...t, repeatBackoff: { factor: 1.5, maxS: 43_200 } })).toContain('repeat_interval 1h (×1.5 up to 12h)');
  });
});
