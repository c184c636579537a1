import { describe, expect, it } from 'vitest';
import { routingFrom, routingProblems, TEST_WEBHOOK } from './test-support.ts';
import type { SmtpEmailReceiver } from './types.ts';

const OPS = `receivers:\n  - name: ops\n    slack: {webhook_url: "${TEST_WEBHOOK}"}\n`;

describe('parseRoutingConfig: what a minimal file gives', () => {
  it('a root with a receiver is enough; everything else is left to inheritance and the defaults', async () => {
    const c = await routingFrom(`route:\n  receiver: ops\n${OPS}`);
    expect(c).toEqual({
      source: 'notifications.yaml',
      route: {
        receiver: 'ops',
        matchers: [],
        groupBy: null,
        groupWaitS: null,
        groupIntervalS: null,
        repeatIntervalS: null,
        repeatBackoff: null,
        sendResolved: null,
        sendResolvedRules: {},
        continue: false,
        routes: [],
      },
      receivers: new Map([['ops', { kind: 'slack', name: 'ops', webhookUrl: TEST_WEBHOOK, secretSource: 'webhook_url inline' }]]),
      contact: null,
    });
  });

  it('contact: one line of text for the message footer, trimmed', async () => {
    const c = await routingFrom(`contact: "  #ds01-help or ds01-admin@uni.example "\nroute:\n  receiver: ops\n${OPS}`);
    expect(c.contact).toBe('#ds01-help or ds01-admin@uni.example');
  });

  it('contact: wrong types, empty, multi-line and overlong texts are problems with their line', async () => {
    const at = async (value: string) => routingProblems(`contact: ${value}\nroute:\n  receiver: ops\n${OPS}`);
    expect(await at('42')).toEqual(['notifications.yaml:1: contact: expected a string, got 42']);
    expect(await at('""')).toEqual(['notifications.yaml:1: contact: must not be empty (leave contact: out for the default "the server\'s administrators")']);
    expect(await at('"a\\nBcc: x@y"')).toEqual(['notifications.yaml:1: contact: must be one line of text (no line breaks or control characters)']);
    expect(await at(`"${'x'.repeat(201)}"`)).toEqual(["notifications.yaml:1: contact: must be at most 200 characters (it is one line of every message's footer)"]);
  });

  it('reads durations in seconds, backoff, group_by, send_resolved settings and nested routes', async () => {
    const c = await routingFrom(
      [
        'route:',
        '  receiver: ops',
        '  group_by: []',
        '  group_wait: 0s',
        '  group_interval: 1d',
        '  repeat_interval: 90m',
        '  repeat_backoff: {factor: 1.5, max: 6h}',
        '  send_resolved: false',
        '  send_resolved_rules: {gpu-waste: true}',
        '  routes:',
        "    - matchers: ['alertname=~\"gpu-.*\"', severity!=info]",
        '      continue: true',
        '      routes: null',
        '    - matchers: null',
        OPS,
      ].join('\n'),
    );
    expect(c.route).toMatchObject({
      groupBy: [],
      groupWaitS: 0,
      groupIntervalS: 86_400,
      repeatIntervalS: 5400,
      repeatBackoff: { factor: 1.5, maxS: 21_600 },
      sendResolved: false,
      sendResolvedRules: { 'gpu-waste': true },
    });
    expect(c.route.routes.map((r) => [r.receiver, r.continue, r.matchers.map((m) => `${m.name}${m.op}${m.value}`), r.routes.length])).toEqual([
      [null, true, ['alertname=~gpu-.*', 'severity!=info'], 0],
      [null, false, [], 0],
    ]);
  });

  it('email receivers: port from the TLS mode, no auth, a display-name sender, no to', async () => {
    const c = await routingFrom(
      [
        'route: {receiver: ops}',
        'receivers:',
        '  - name: ops',
        '    email: {host: smtp.example.org, from: "DS01 <gw@example.org>", to: [a@example.org]}',
        '  - name: plain',
        '    email: {host: relay, tls: none, from: gw@example.org, to: null}',
        '  - name: implicit',
        '    email: {host: relay, tls: tls, from: gw@example.org}',
      ].join('\n'),
    );
    const email = (n: string) => c.receivers.get(n) as SmtpEmailReceiver;
    expect(email('ops')).toEqual({
      kind: 'email',
      transport: 'smtp',
      name: 'ops',
      smtp: { host: 'smtp.example.org', port: 587, tls: 'starttls', auth: null },
      from: 'DS01 <gw@example.org>',
      to: ['a@example.org'],
    });
    expect([email('plain').smtp.port, email('plain').to]).toEqual([25, []]);
    expect(email('implicit').smtp.port).toBe(465);
  });
});

describe('parseRoutingConfig: problems found inline', () => {
  it('lists every problem of the schema at once, in line order', async () => {
    expect(
      await routingProblems(
        [
          'route:',
          '  receiver: ops',
          '  group_wiat: 30s',
          '  routes:',
          '    - matchers: [severity]',
          '      repeat_interval: 0s',
          'receivers:',
          '  - name: ops',
          '    slak: {webhook_url: x}',
        ].join('\n'),
      ),
    ).toEqual([
      'notifications.yaml:3: route.group_wiat: unknown key (did you mean group_wait?)',
      'notifications.yaml:5: route.routes[0].matchers[0]: "severity" is not a matcher: write name=value, name!=value, name=~regex or name!~regex',
      'notifications.yaml:6: route.routes[0].repeat_interval: must be longer than 0s',
      'notifications.yaml:9: receivers[0].slak: unknown key (did you mean slack?)',
    ]);
  });

  it('lists every cross-key problem at once (receivers not defined, in the tree and nested)', async () => {
    expect(
      await routingProblems(
        ['route:', '  receiver: opps', '  routes:', '    - routes:', '        - receiver: pager', OPS].join('\n'),
      ),
    ).toEqual([
      'notifications.yaml:2: route.receiver: receiver "opps" is not defined under receivers: (did you mean ops?)',
      'notifications.yaml:5: route.routes[0].routes[0].receiver: receiver "pager" is not defined under receivers:',
    ]);
  });

  it('a backoff max is checked against the interval the route inherits', async () => {
    expect(await routingProblems(['route:', '  receiver: ops', '  repeat_backoff: {factor: 2, max: 1h}', OPS].join('\n'))).toEqual([
      'notifications.yaml:3: route.repeat_backoff.max: must be at least the repeat_interval (4h)',
    ]);
    expect(await routingProblems(['route:', '  receiver: ops', '  repeat_interval: 30m', '  repeat_backoff: {factor: 2, max: 1h}', OPS].join('\n'))).toEqual([]);
    expect(await routingProblems(['route:', '  receiver: ops', '  repeat_backoff: {factor: 2}', OPS].join('\n'))).toEqual([
      'notifications.yaml:3: route.repeat_backoff.max: is required',
    ]);
  });

  it('the file must be a mapping with route and receivers', async () => {
    expect(await routingProblems('- route\n')).toEqual(['notifications.yaml:1: expected a mapping, got a list']);
    expect(await routingProblems('receivers: []\n')).toEqual(['notifications.yaml:1: route: is required', 'notifications.yaml:1: receivers: needs at least one receiver']);
    expect(await routingProblems(`route:\n  - receiver: ops\n${OPS}`)).toEqual(['notifications.yaml:1: route: expected a mapping, got a list']);
  });

  it('__proto__ is refused wherever it is written (never silently dropped)', async () => {
    expect(await routingProblems(`route:\n  receiver: ops\n  __proto__: {receiver: x}\n${OPS}`)).toEqual([
      'notifications.yaml:3: route.__proto__: reserved key: __proto__ cannot be used as a name',
    ]);
    expect(await routingProblems(`route:\n  receiver: ops\n  send_resolved_rules: {__proto__: true}\n${OPS}`)).toEqual([
      'notifications.yaml:3: route.send_resolved_rules.__proto__: reserved key: __proto__ cannot be used as a name',
    ]);
  });

  it('YAML 1.2: yes/no/on/off are strings, so a boolean key says so', async () => {
    expect(await routingProblems(`route:\n  receiver: ops\n  send_resolved: on\n${OPS}`)).toEqual([
      'notifications.yaml:3: route.send_resolved: expected true or false, got "on"',
    ]);
  });

  it('email ports, hosts and senders', async () => {
    expect(
      await routingProblems(
        [
          'route: {receiver: ops}',
          'receivers:',
          '  - name: ops',
          '    email: {host: h, from: a@b.org, to: [x@y.org], port: 0}',
          '  - name: ops2',
          '    email: {host: "", from: "Me <a>", to: [x@y.org], port: 2.5}',
        ].join('\n'),
      ),
    ).toEqual([
      'notifications.yaml:4: receivers[0].email.port: must be 1 to 65535',
      'notifications.yaml:6: receivers[1].email.host: must be a host name',
      'notifications.yaml:6: receivers[1].email.port: expected a whole number, got 2.5',
      'notifications.yaml:6: receivers[1].email.from: "Me <a>" is not an address (a@b.org or "Name <a@b.org>")',
    ]);
  });

  it('a duration of the wrong type says what a duration is', async () => {
    expect(await routingProblems(`route:\n  receiver: ops\n  group_wait: [30s]\n${OPS}`)).toEqual([
      'notifications.yaml:3: route.group_wait: expected a duration such as 30s, 5m, 4h or 1d, got a list',
    ]);
  });
});

describe('parseRoutingConfig: secrets never appear in a message', () => {
  const SECRET = 'hooks.slack.com/services/T9/B9/TOPSECRET';

  it.each([
    ['a URL without scheme', `webhook_url: ${SECRET}`, 'receivers[0].slack.webhook_url: is not an http(s) URL'],
    ['a number', 'webhook_url: 12345678', 'receivers[0].slack.webhook_url: expected a string, got a number'],
    ['a list', `webhook_url: [${SECRET}]`, 'receivers[0].slack.webhook_url: expected a string, got a list'],
    ['a URL pasted as the file', `webhook_url_file: https://${SECRET}`, 'receivers[0].slack.webhook_url_file: is a URL, not a file path'],
    ['a URL pasted as the variable', `webhook_url_env: https://${SECRET}`, 'receivers[0].slack.webhook_url_env: must be an environment variable name'],
    ['given twice', `webhook_url: https://${SECRET}\n      webhook_url_env: X`, 'receivers[0].slack: give only one of webhook_url, webhook_url_env'],
    ['a misspelt key', `webhok_url: https://${SECRET}`, 'receivers[0].slack.webhok_url: unknown key (did you mean webhook_url?)'],
    ['a duplicate key', `webhook_url: https://${SECRET}\n      webhook_url: https://${SECRET}2`, 'receivers[0].slack.webhook_url: duplicate key'],
  ])('%s', async (_what, line, expected) => {
    const problems = await routingProblems(`route:\n  receiver: ops\nreceivers:\n  - name: ops\n    slack:\n      ${line}\n`);
    expect(problems.join('\n')).toContain(expected);
    expect(problems.join('\n')).not.toMatch(/TOPSECRET|12345678/);
  });

  it('a file or variable holding a bad value is named; the value is not', async () => {
    const slack = (key: string) => `route:\n  receiver: ops\nreceivers:\n  - name: ops\n    slack:\n      ${key}\n`;
    const fromFile = await routingProblems(slack('webhook_url_file: hook.url'), {}, { '/cfg/hook.url': `ftp://${SECRET}\n` });
    expect(fromFile).toEqual([
      'notifications.yaml:6: receivers[0].slack.webhook_url_file: the file /cfg/hook.url does not hold an http(s) URL (a Slack incoming webhook: https://hooks.slack.com/services/...)',
    ]);
    const fromEnv = await routingProblems(slack('webhook_url_env: HOOK'), { HOOK: SECRET });
    expect(fromEnv).toEqual([
      'notifications.yaml:6: receivers[0].slack.webhook_url_env: environment variable HOOK does not hold an http(s) URL (a Slack incoming webhook: https://hooks.slack.com/services/...)',
    ]);
  });

  it('passwords: wrong types and bad sources never show the password', async () => {
    const auth = (line: string) =>
      `route:\n  receiver: ops\nreceivers:\n  - name: ops\n    email:\n      host: h\n      from: a@b.org\n      to: [c@d.org]\n      auth:\n        username: u\n        ${line}\n`;
    expect(await routingProblems(auth('password: [hunter2-TOPSECRET]'))).toEqual(['notifications.yaml:11: receivers[0].email.auth.password: expected a string, got a list']);
    expect(await routingProblems(auth('password: true'))).toEqual(['notifications.yaml:11: receivers[0].email.auth.password: expected a string, got a boolean']);
    expect(await routingProblems(auth('password_env: SMTP_PW'))).toEqual(['notifications.yaml:11: receivers[0].email.auth.password_env: environment variable SMTP_PW is not set']);
    expect(await routingProblems(auth('password_env: SMTP_PW'), { SMTP_PW: 'hunter2-TOPSECRET' })).toEqual([]);
  });
});
