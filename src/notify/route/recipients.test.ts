import { beforeAll, describe, expect, it } from 'vitest';
import { sanitiseUsername } from '../../users/sanitise-username.ts';
import { RECIPIENT_ENV, RECIPIENT_ROUTING, routingFrom, usersFrom } from '../../config/routing/test-support.ts';
import type { RoutingConfig } from '../../config/routing/types.ts';
import { makeUserDirectory } from '../../config/routing/user-directory.ts';
import { recipientsFor, type Recipient } from './recipients.ts';

let routing: RoutingConfig;
beforeAll(async () => {
  routing = await routingFrom(RECIPIENT_ROUTING, RECIPIENT_ENV);
});

const USERS = `
default:
  email_pattern: '{local}@hertie-school.org'
  email_receiver: users-email
  slack_receiver: users-slack
users:
  h.baker@hertie-school.lan:
    email: helen.baker@hertie-school.org
    slack_member_id: U0HBAKER1
  q.postdoc@hertie-school.lan:
    notify: []
  a.researcher@hertie-school.lan:
    slack_member_id: U0ARSRCH2
    slack_receiver: lab-slack
    notify: [slack]
  r.slackonly@hertie-school.lan:
    notify: [slack, email]
    slack_member_id: U0RSLACK3
    email: r@hertie-school.org
`;

const warning = (user?: string) => ({ alertname: 'idle-gpu-container', severity: 'warning', host: 'ds01', ...(user === undefined ? {} : { user }) });
const brief = (rs: Recipient[]) => rs.map((r) => ({ receiver: r.receiver, audience: r.audience, user: r.user, destination: r.destination }));

describe('recipientsFor: owner', () => {
  it('a listed user with email and Slack: both, each through the users receivers, grouped per person', () => {
    const dir = usersFrom(USERS, routing);
    const { recipients, skipped } = recipientsFor(['owner'], warning('h.baker@hertie-school.lan'), routing, dir);
    expect(skipped).toEqual([]);
    expect(brief(recipients)).toEqual([
      { receiver: 'users-email', audience: 'user', user: 'h.baker@hertie-school.lan', destination: { kind: 'email', to: ['helen.baker@hertie-school.org'] } },
      {
        receiver: 'users-slack',
        audience: 'user',
        user: 'h.baker@hertie-school.lan',
        destination: { kind: 'slack', webhookUrl: RECIPIENT_ENV.USERS_URL, mention: 'U0HBAKER1' },
      },
    ]);
    expect(recipients[0]?.groupKey).toBe('{}:{alertname="idle-gpu-container", user="h.baker@hertie-school.lan"}');
    expect(recipients[0]?.groupLabels).toEqual({ alertname: 'idle-gpu-container', user: 'h.baker@hertie-school.lan' });
    expect(recipients[0]?.groupLabels).not.toBe(recipients[1]?.groupLabels);
    expect(recipients[0]?.route).toMatchObject({ id: '{}', receiver: 'admins-slack', groupWaitS: 30 });
  });

  it('an unlisted LDAP name gets the pattern address ({local}); no Slack, and that is not worth a log line', () => {
    const dir = usersFrom(USERS, routing);
    const { recipients, skipped } = recipientsFor(['owner'], warning('p.professor@hertie-school.lan'), routing, dir);
    expect(brief(recipients)).toEqual([
      { receiver: 'users-email', audience: 'user', user: 'p.professor@hertie-school.lan', destination: { kind: 'email', to: ['p.professor@hertie-school.org'] } },
    ]);
    expect(skipped).toEqual([]);
  });

  it('a numeric student id: {local} is the id', () => {
    const dir = usersFrom(USERS, routing);
    const { recipients } = recipientsFor(['owner'], warning('228755@hertie-school.lan'), routing, dir);
    expect(recipients.map((r) => r.destination)).toEqual([{ kind: 'email', to: ['228755@hertie-school.org'] }]);
  });

  it('a bare number is an unresolved uid: no pattern address, and the reason says so', () => {
    const dir = usersFrom(USERS, routing);
    const { recipients, skipped } = recipientsFor(['owner'], warning('1001'), routing, dir);
    expect(recipients).toEqual([]);
    expect(skipped).toEqual([
      { notify: 'owner', user: '1001', reason: 'email: no address: "1001" is a uid no name was found for, not a user name (add it to users: to reach them)' },
      { notify: 'owner', user: '1001', reason: 'slack: no Slack member id (slack_member_id in users.yaml)' },
    ]);
  });

  it('an unknown user without a pattern reaches nobody, with a reason per channel for the log', () => {
    const dir = usersFrom('default:\n  email_receiver: users-email\n  slack_receiver: users-slack\n', routing);
    const { recipients, skipped } = recipientsFor(['owner'], warning('h.baker@hertie-school.lan'), routing, dir);
    expect(recipients).toEqual([]);
    expect(skipped).toEqual([
      { notify: 'owner', user: 'h.baker@hertie-school.lan', reason: 'email: no address: not in the user directory and no default.email_pattern' },
      { notify: 'owner', user: 'h.baker@hertie-school.lan', reason: 'slack: no Slack member id (slack_member_id in users.yaml)' },
    ]);
  });

  it('finds a user listed under the short or sanitised name (h.baker, h_baker) by the full DS01 name', () => {
    for (const key of ['h.baker', 'h_baker']) {
      const dir = usersFrom(`default:\n  email_receiver: users-email\nusers:\n  ${key}:\n    email: hb@hertie-school.org\n`, routing);
      const { recipients } = recipientsFor(['owner'], warning('h.baker@hertie-school.lan'), routing, dir);
      expect(recipients.map((r) => r.destination)).toEqual([{ kind: 'email', to: ['hb@hertie-school.org'] }]);
    }
  });

  it('a pattern on the sanitised name, and {user} for names that are addresses', () => {
    const sanitised = usersFrom("default:\n  email_pattern: '{sanitised}@mail.example.org'\n  email_receiver: users-email\n", routing);
    expect(recipientsFor(['owner'], warning('h.baker@hertie-school.lan'), routing, sanitised).recipients[0]?.destination).toEqual({
      kind: 'email',
      to: ['h_baker@mail.example.org'],
    });
    const asIs = usersFrom("default:\n  email_pattern: '{user}'\n  email_receiver: users-email\n  notify: [email]\n", routing);
    expect(recipientsFor(['owner'], warning('h.baker@hertie-school.lan'), routing, asIs).recipients[0]?.destination).toEqual({
      kind: 'email',
      to: ['h.baker@hertie-school.lan'],
    });
    const local = recipientsFor(['owner'], warning('datasciencelab'), routing, asIs);
    expect(local.recipients).toEqual([]);
    expect(local.skipped).toEqual([
      { notify: 'owner', user: 'datasciencelab', reason: 'email: no address: default.email_pattern gives "datasciencelab", which is not an address' },
    ]);
  });

  it('opted out: nobody, and one line saying so', () => {
    const dir = usersFrom(USERS, routing);
    expect(recipientsFor(['owner'], warning('q.postdoc@hertie-school.lan'), routing, dir)).toEqual({
      recipients: [],
      skipped: [{ notify: 'owner', user: 'q.postdoc@hertie-school.lan', reason: 'opted out (notify: [])' }],
    });
  });

  it('channel choice: only Slack, through the user\'s own Slack receiver', () => {
    const dir = usersFrom(USERS, routing);
    const { recipients, skipped } = recipientsFor(['owner'], warning('a.researcher@hertie-school.lan'), routing, dir);
    expect(skipped).toEqual([]);
    expect(brief(recipients)).toEqual([
      {
        receiver: 'lab-slack',
        audience: 'user',
        user: 'a.researcher@hertie-school.lan',
        destination: { kind: 'slack', webhookUrl: RECIPIENT_ENV.LAB_URL, mention: 'U0ARSRCH2' },
      },
    ]);
  });

  it('a chosen channel that cannot be served is reported even when another one works', () => {
    const dir = makeUserDirectory({
      users: [{ name: 'x.user', email: null, slackMemberId: 'U0XUSER01', slackReceiver: null, notify: ['email', 'slack'] }],
      defaults: { slackReceiver: 'users-slack' },
      sanitise: sanitiseUsername,
    });
    const { recipients, skipped } = recipientsFor(['owner'], warning('x.user'), routing, dir);
    expect(recipients.map((r) => r.receiver)).toEqual(['users-slack']);
    expect(skipped).toEqual([{ notify: 'owner', user: 'x.user', reason: 'email: no email receiver for users (default.email_receiver)' }]);
  });

  it('an alert without a user label, or no directory at all: nobody, with the reason', () => {
    const dir = usersFrom(USERS, routing);
    expect(recipientsFor(['owner'], warning(), routing, dir).skipped).toEqual([{ notify: 'owner', user: null, reason: 'the alert has no user label' }]);
    expect(recipientsFor(['owner'], warning(''), routing, dir).skipped).toEqual([{ notify: 'owner', user: null, reason: 'the alert has no user label' }]);
    expect(recipientsFor(['owner'], warning('h.baker@hertie-school.lan'), routing, null)).toEqual({
      recipients: [],
      skipped: [{ notify: 'owner', user: 'h.baker@hertie-school.lan', reason: 'no user directory (users.yaml) is configured' }],
    });
  });

  it('a directory built against another config: a receiver of the wrong kind is a reason, not a crash', () => {
    const dir = makeUserDirectory({ defaults: { emailReceiver: 'users-slack', slackReceiver: 'nope', emailPattern: '{local}@x.org' }, sanitise: sanitiseUsername });
    expect(recipientsFor(['owner'], warning('h.baker@x.lan'), routing, dir).skipped).toEqual([
      { notify: 'owner', user: 'h.baker@x.lan', reason: 'email: "users-slack" is not an email receiver of the routing config' },
      { notify: 'owner', user: 'h.baker@x.lan', reason: 'slack: "nope" is not a slack receiver of the routing config' },
    ]);
  });

  it('one group per person on the same route: two users never share a message', () => {
    const dir = usersFrom(USERS, routing);
    const a = recipientsFor(['owner'], warning('p.professor@hertie-school.lan'), routing, dir).recipients[0];
    const b = recipientsFor(['owner'], warning('228755@hertie-school.lan'), routing, dir).recipients[0];
    expect(a?.receiver).toBe(b?.receiver);
    expect(a?.groupKey).not.toBe(b?.groupKey);
  });
});

describe('recipientsFor: admins and named receivers', () => {
  it('admins → the receivers of every route the alert takes (continue included), audience admin', () => {
    const { recipients, skipped } = recipientsFor(['admins'], { alertname: 'gpu-temperature', severity: 'critical', host: 'ds01' }, routing, null);
    expect(skipped).toEqual([]);
    expect(brief(recipients)).toEqual([
      { receiver: 'admins-critical', audience: 'admin', user: null, destination: { kind: 'slack', webhookUrl: RECIPIENT_ENV.CRITICAL_URL, mention: null } },
      { receiver: 'admins-email', audience: 'admin', user: null, destination: { kind: 'email', to: ['admins@example.org'] } },
    ]);
    expect(recipients.map((r) => r.groupKey)).toEqual([
      '{}/{severity="critical"}/0:{alertname="gpu-temperature"}',
      '{}/{severity="critical"}/1:{alertname="gpu-temperature"}',
    ]);
    expect(recipients.map((r) => r.route.groupWaitS)).toEqual([30, 30]);
    expect(recipients.map((r) => r.groupLabels)).toEqual([{ alertname: 'gpu-temperature' }, { alertname: 'gpu-temperature' }]);
  });

  it('a named receiver → that receiver, whatever the routes say, with the alert\'s first route for timing', () => {
    const { recipients } = recipientsFor(['lab-slack'], warning('h.baker@hertie-school.lan'), routing, null);
    expect(brief(recipients)).toEqual([
      { receiver: 'lab-slack', audience: 'admin', user: null, destination: { kind: 'slack', webhookUrl: RECIPIENT_ENV.LAB_URL, mention: null } },
    ]);
    expect(recipients[0]?.route.id).toBe('{}');
  });

  it('owner + admins + a named receiver together, in notify order', () => {
    const dir = usersFrom(USERS, routing);
    const { recipients } = recipientsFor(['owner', 'admins', 'lab-slack'], warning('h.baker@hertie-school.lan'), routing, dir);
    expect(recipients.map((r) => `${r.audience}:${r.receiver}`)).toEqual(['user:users-email', 'user:users-slack', 'admin:admins-slack', 'admin:lab-slack']);
  });

  it('a receiver reached twice (admins and by name, or notify listing it twice) is sent once', () => {
    const { recipients } = recipientsFor(['admins', 'admins-slack', 'admins', 'admins-slack'], warning(), routing, null);
    expect(recipients.map((r) => r.receiver)).toEqual(['admins-slack']);
  });

  it('unknown receiver names and email receivers without to: are skipped with the reason', () => {
    const { recipients, skipped } = recipientsFor(['ops-pager', 'users-email'], warning(), routing, null);
    expect(recipients).toEqual([]);
    expect(skipped).toEqual([
      { notify: 'ops-pager', user: null, reason: 'receiver "ops-pager" is not defined in the routing config' },
      { notify: 'users-email', user: null, reason: 'email receiver "users-email" has no to: list' },
    ]);
  });

  it('an empty notify list reaches nobody and skips nothing', () => {
    expect(recipientsFor([], warning('h.baker@hertie-school.lan'), routing, null)).toEqual({ recipients: [], skipped: [] });
  });
});
