import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, formatProblem } from '../limits/config-problem.ts';
import { loadRoutingConfig, loadUserDirectory } from './load.ts';
import { userProblems, usersFrom } from './test-support.ts';
import type { RoutingConfig } from './types.ts';
import { findUser } from './user-directory.ts';

const DIR = 'test/fixtures/routing';
const ENV = { TEST_CRITICAL_URL: 'https://hooks.slack.com/services/T0/B1/ENVSECRET', TEST_SMTP_PASSWORD: 'envpw' };

let routing: RoutingConfig;
beforeAll(async () => {
  routing = await loadRoutingConfig(`${DIR}/valid/notifications.yaml`, ENV);
});

async function messageOf(file: string): Promise<string> {
  try {
    await loadUserDirectory(file, routing);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map(formatProblem).join('\n');
    throw err;
  }
  throw new Error(`${file} loaded without error`);
}

/** One fixture per users.yaml error, checked against valid/notifications.yaml. */
const ERRORS: Record<string, string[]> = {
  'bad-channel.yaml': ['7: users["h.baker@hertie-school.lan"].notify[1]: "sms" is not a channel: use email or slack'],
  'bad-email.yaml': ['6: users["228755@hertie-school.lan"].email: "228755 at students" is not an email address'],
  'bad-member-id.yaml': ['6: users["h.baker@hertie-school.lan"].slack_member_id: "@hbaker" is not a Slack member id such as U024BE7LH (profile → ⋮ → Copy member ID)'],
  'bad-pattern.yaml': ['3: default.email_pattern: unknown placeholder {username}; use {user}, {local} or {sanitised}'],
  'channel-unreachable.yaml': ['6: users["h.baker@hertie-school.lan"].notify: slack needs a slack_member_id'],
  'member-id-without-receiver.yaml': [
    '4: users["h.baker@hertie-school.lan"].slack_member_id: no slack_receiver to mention them with: set default.slack_receiver or slack_receiver here',
  ],
  'pattern-no-placeholder.yaml': ['3: default.email_pattern: has no placeholder, so every user would get the same address: use {user}, {local} or {sanitised}'],
  'pattern-not-address.yaml': ['3: default.email_pattern: does not give an address: write e.g. "{local}@example.org", or "{user}" when user names are addresses'],
  'pattern-without-receiver.yaml': ['3: default.email_pattern: no default.email_receiver to send these addresses mail with'],
  'same-sanitised.yaml': ['7: users.h_baker: is the same DS01 user as "h.baker@hertie-school.lan" (both are "h_baker" once sanitised)'],
  'undefined-receiver.yaml': [
    `3: default.email_receiver: receiver "user-email" is not defined in ${DIR}/valid/notifications.yaml (did you mean users-email?)`,
  ],
  'unknown-key.yaml': ['6: users["h.baker@hertie-school.lan"].emial: unknown key (did you mean email?)'],
  'wrong-kind.yaml': [
    '3: default.email_receiver: "users-slack" is a slack receiver; email_receiver needs an email receiver',
    '4: default.slack_receiver: "users-email" is an email receiver; slack_receiver needs a slack receiver',
  ],
};

describe('loadUserDirectory: one fixture per error', () => {
  it('has a fixture for every case and a case for every fixture', () => {
    expect(readdirSync(`${DIR}/errors/users`).sort()).toEqual(Object.keys(ERRORS).sort());
  });

  it.each(Object.entries(ERRORS))('%s', async (name, expected) => {
    const file = `${DIR}/errors/users/${name}`;
    expect(await messageOf(file)).toBe(expected.map((line) => `${file}:${line}`).join('\n'));
  });

  it('a missing file is reported without a line', async () => {
    await expect(loadUserDirectory(`${DIR}/no-such-users.yaml`)).rejects.toThrow(`${DIR}/no-such-users.yaml: cannot be read (no such file)`);
  });
});

describe('loadUserDirectory: valid files', () => {
  it('reads users with DS01 names, their channels and the defaults', async () => {
    const d = await loadUserDirectory(`${DIR}/valid/users.yaml`, routing);
    expect(d.source).toBe(`${DIR}/valid/users.yaml`);
    expect(d.defaults).toEqual({ emailPattern: '{local}@uni.example.org', emailReceiver: 'users-email', slackReceiver: 'users-slack', notify: ['email', 'slack'] });
    expect([...d.users.values()]).toEqual([
      { name: 'h.baker@hertie-school.lan', email: 'helen.baker@uni.example.org', slackMemberId: 'U0HBAKER1', slackReceiver: null, notify: null },
      { name: '228755@hertie-school.lan', email: null, slackMemberId: null, slackReceiver: null, notify: ['email'] },
      { name: 'q.postdoc@hertie-school.lan', email: null, slackMemberId: null, slackReceiver: null, notify: [] },
      { name: 'a.researcher@hertie-school.lan', email: null, slackMemberId: 'W0ARSRCH2', slackReceiver: 'ops-critical', notify: ['slack'] },
      { name: 'datasciencelab', email: null, slackMemberId: null, slackReceiver: null, notify: null },
    ]);
    expect(findUser(d, 'h.baker')?.name).toBe('h.baker@hertie-school.lan');
    expect(findUser(d, '228755')?.name).toBe('228755@hertie-school.lan');
  });

  it('loads the other valid fixtures', async () => {
    for (const name of ['users-minimal.yaml', 'users-user-pattern.yaml', 'users-sanitised-pattern.yaml']) {
      await expect(loadUserDirectory(`${DIR}/valid/${name}`, routing)).resolves.toBeDefined();
    }
  });

  it('without the routing config, the receivers named cannot be checked and are taken as written', async () => {
    const d = await loadUserDirectory(`${DIR}/errors/users/undefined-receiver.yaml`);
    expect(d.defaults.emailReceiver).toBe('user-email');
  });
});

describe('parseUserDirectory: inline', () => {
  it('an empty file is an empty directory with both channels by default', () => {
    const d = usersFrom('');
    expect(d.users.size).toBe(0);
    expect(d.defaults).toEqual({ emailPattern: null, emailReceiver: null, slackReceiver: null, notify: ['email', 'slack'] });
    expect(usersFrom('users:\ndefault:\n').users.size).toBe(0);
  });

  it('names a user whose email is set while no email receiver exists', () => {
    expect(userProblems('users:\n  h.baker@x.lan:\n    email: h@x.org\n')).toEqual([
      'users.yaml:3: users["h.baker@x.lan"].email: no default.email_receiver to send mail to it with',
    ]);
  });

  it('email chosen without an email or a pattern', () => {
    expect(userProblems('default:\n  email_receiver: users-email\nusers:\n  h.baker@x.lan:\n    notify: [email]\n')).toEqual([
      'users.yaml:5: users["h.baker@x.lan"].notify: email needs an email (or a default.email_pattern)',
    ]);
  });

  it('a user\'s own slack_receiver is checked against the routing config', () => {
    expect(userProblems('users:\n  h.baker@x.lan:\n    slack_member_id: U0HBAKER1\n    slack_receiver: ops-email\n', routing)).toEqual([
      'users.yaml:4: users["h.baker@x.lan"].slack_receiver: "ops-email" is an email receiver; slack_receiver needs a slack receiver',
    ]);
  });

  it('user entries and the default section take only the keys they know', () => {
    expect(userProblems('defaults:\n  email_receiver: users-email\n')).toEqual(['users.yaml:1: defaults: unknown key (did you mean default?)']);
    expect(userProblems('default:\n  email_reciever: users-email\n')).toEqual(['users.yaml:2: default.email_reciever: unknown key (did you mean email_receiver?)']);
  });

  it('a user list instead of a mapping, and an empty user name', () => {
    expect(userProblems('users:\n  - h.baker\n')).toEqual(['users.yaml:1: users: expected a mapping, got a list']);
    expect(userProblems('users:\n  "": {}\n')).toEqual(['users.yaml:2: users[""]: a user name cannot be empty']);
  });

  it('a user named __proto__ is refused, not dropped', () => {
    expect(userProblems('users:\n  __proto__:\n    email: a@b.org\n')).toEqual(['users.yaml:2: users.__proto__: reserved key: __proto__ cannot be used as a name']);
  });

  it('syntax errors and duplicate users are reported with their lines', () => {
    expect(userProblems('users:\n  a.b@x.lan:\n    notify: []\n  a.b@x.lan:\n    notify: [email]\n')).toEqual([
      'users.yaml:4: users["a.b@x.lan"]: duplicate key (first defined on line 2)',
    ]);
    expect(userProblems('users: [\n')[0]).toMatch(/^users\.yaml:\d+: not valid YAML: /);
  });

  it('accepts {sanitized} as well as {sanitised}, and suggests the placeholder meant', () => {
    expect(usersFrom("default:\n  email_pattern: '{sanitized}@x.org'\n  email_receiver: users-email\n").defaults.emailPattern).toBe('{sanitized}@x.org');
    expect(userProblems("default:\n  email_pattern: '{locl}@x.org'\n  email_receiver: users-email\n")).toEqual([
      'users.yaml:2: default.email_pattern: unknown placeholder {locl} (did you mean {local}?); use {user}, {local} or {sanitised}',
    ]);
  });
});
