// Email receivers with `http_api:` (an HTTPS mail API instead of an SMTP server): what loads, and every problem with
// its line, the token never quoted.
import { describe, expect, it } from 'vitest';
import { isMailApiUrl } from './mail-api-url.ts';
import { routingFrom, routingProblems } from './test-support.ts';
import type { EmailReceiver } from './types.ts';

const TOKEN = 're_TOPSECRET_0123456789';

/** A routing file whose only receiver `mail` has this `email:` body (indented 6 spaces). */
function mailYaml(emailLines: string[]): string {
  return ['route:', '  receiver: mail', 'receivers:', '  - name: mail', '    email:', ...emailLines.map((l) => `      ${l}`)].join('\n');
}

const API = ['http_api:', '  url: https://api.resend.com/emails', '  token_env: MAIL_TOKEN', "from: 'gpuwarden <gw@example.org>'", 'to: [admins@example.org]'];

describe('email receivers with http_api:', () => {
  it('loads the URL and the token from the environment, with sender and recipients', async () => {
    const c = await routingFrom(mailYaml(API), { MAIL_TOKEN: `  ${TOKEN}\n` });
    expect(c.receivers.get('mail')).toEqual({
      kind: 'email',
      transport: 'http_api',
      name: 'mail',
      httpApi: { url: 'https://api.resend.com/emails', token: TOKEN },
      from: 'gpuwarden <gw@example.org>',
      to: ['admins@example.org'],
    } satisfies EmailReceiver);
  });

  it('reads the token from a file (relative to the config, trimmed) or inline', async () => {
    const fromFile = await routingFrom(mailYaml(API.map((l) => l.replace('token_env: MAIL_TOKEN', 'token_file: secrets/mail.token'))), {}, { '/cfg/secrets/mail.token': `${TOKEN}\n` });
    expect(fromFile.receivers.get('mail')).toMatchObject({ transport: 'http_api', httpApi: { token: TOKEN } });
    const inline = await routingFrom(mailYaml(API.map((l) => l.replace('token_env: MAIL_TOKEN', `token: ${TOKEN}`))));
    expect(inline.receivers.get('mail')).toMatchObject({ httpApi: { token: TOKEN } });
  });

  it('SMTP receivers say so (transport: smtp)', async () => {
    const c = await routingFrom(mailYaml(['host: smtp.example.org', 'from: gw@example.org', 'to: [a@example.org]']));
    expect(c.receivers.get('mail')).toMatchObject({ kind: 'email', transport: 'smtp', smtp: { host: 'smtp.example.org', port: 587 } });
  });

  it('http:// is accepted only on loopback (tests, a local relay)', async () => {
    for (const url of ['http://127.0.0.1:8025/emails', 'http://localhost/send', 'http://[::1]:9000/x']) {
      const c = await routingFrom(mailYaml(API.map((l) => l.replace('https://api.resend.com/emails', url))), { MAIL_TOKEN: TOKEN });
      expect(c.receivers.get('mail')).toMatchObject({ httpApi: { url } });
    }
  });
});

describe('email receivers with http_api: problems, each with its line', () => {
  it('both host: and http_api:', async () => {
    expect(await routingProblems(mailYaml(['host: smtp.example.org', ...API]), { MAIL_TOKEN: TOKEN })).toEqual([
      'notifications.yaml:5: receivers[0].email: give only one of host: (SMTP) or http_api:',
    ]);
  });

  it('neither host: nor http_api:', async () => {
    expect(await routingProblems(mailYaml(['from: gw@example.org', 'to: [a@example.org]']))).toEqual([
      'notifications.yaml:5: receivers[0].email: needs host: (SMTP) or http_api: (an HTTPS mail API)',
    ]);
  });

  it('SMTP settings beside http_api: are refused, each at its own line', async () => {
    expect(await routingProblems(mailYaml([...API, 'port: 587', 'tls: none', 'auth: {username: u, password_env: PW}']), { MAIL_TOKEN: TOKEN })).toEqual([
      'notifications.yaml:11: receivers[0].email.port: is an SMTP setting (it goes with host:); an http_api: receiver does not use it',
      'notifications.yaml:12: receivers[0].email.tls: is an SMTP setting (it goes with host:); an http_api: receiver does not use it',
      'notifications.yaml:13: receivers[0].email.auth: is an SMTP setting (it goes with host:); an http_api: receiver does not use it',
    ]);
  });

  it.each([
    ['plain http to another host', 'http://mail.example.org/emails', 'must be an https:// URL (http:// only for 127.0.0.1 or localhost, a local relay)'],
    ['no scheme', 'api.resend.com/emails', 'must be an https:// URL (http:// only for 127.0.0.1 or localhost, a local relay)'],
    ['another scheme', 'smtp://mail.example.org', 'must be an https:// URL (http:// only for 127.0.0.1 or localhost, a local relay)'],
    ['credentials in the URL', `https://user:${TOKEN}@api.example.org/emails`, 'must not hold a user name or password (user:pass@): give the token with token_env:'],
  ])('url: %s', async (_what, url, message) => {
    const problems = await routingProblems(mailYaml(API.map((l) => l.replace('https://api.resend.com/emails', url))), { MAIL_TOKEN: TOKEN });
    expect(problems).toEqual([`notifications.yaml:7: receivers[0].email.http_api.url: ${message}`]);
    expect(problems.join('\n')).not.toContain('TOPSECRET');
  });

  it('url missing or not a string', async () => {
    expect(await routingProblems(mailYaml(['http_api: {token_env: MAIL_TOKEN}', 'from: gw@example.org']), { MAIL_TOKEN: TOKEN })).toEqual([
      'notifications.yaml:6: receivers[0].email.http_api.url: is required',
    ]);
    expect(await routingProblems(mailYaml(['http_api: {url: 42, token_env: MAIL_TOKEN}', 'from: gw@example.org']), { MAIL_TOKEN: TOKEN })).toEqual([
      'notifications.yaml:6: receivers[0].email.http_api.url: expected a string, got a number', // url may be a secret (a webhook's): never quoted
    ]);
  });

  it('no token source, two token sources, a misspelt key (did you mean)', async () => {
    const api = (lines: string[]) => mailYaml(['http_api:', '  url: https://api.resend.com/emails', ...lines.map((l) => `  ${l}`), 'from: gw@example.org']);
    expect(await routingProblems(api([]))).toEqual(['notifications.yaml:6: receivers[0].email.http_api: needs one of token, token_file or token_env']);
    expect(await routingProblems(api([`token: ${TOKEN}`, 'token_env: MAIL_TOKEN']))).toEqual(['notifications.yaml:6: receivers[0].email.http_api: give only one of token, token_env']);
    expect(await routingProblems(api(['tokn_env: MAIL_TOKEN']))).toEqual(['notifications.yaml:8: receivers[0].email.http_api.tokn_env: unknown key (did you mean token_env?)']);
    expect(await routingProblems(api(['token_env: re-123']))).toEqual([
      'notifications.yaml:8: receivers[0].email.http_api.token_env: must be an environment variable name (letters, digits, _)',
    ]);
  });

  it('a token of the wrong type is described by its kind, never quoted', async () => {
    const problems = await routingProblems(mailYaml(['http_api:', '  url: https://api.resend.com/emails', `  token: [${TOKEN}]`, 'from: gw@example.org']));
    expect(problems).toEqual(['notifications.yaml:8: receivers[0].email.http_api.token: expected a string, got a list']);
  });

  it('a missing or empty variable, an unreadable file, a multi-line token: named, the value never', async () => {
    expect(await routingProblems(mailYaml(API))).toEqual(['notifications.yaml:8: receivers[0].email.http_api.token_env: environment variable MAIL_TOKEN is not set']);
    expect(await routingProblems(mailYaml(API), { MAIL_TOKEN: ' ' })).toEqual(['notifications.yaml:8: receivers[0].email.http_api.token_env: environment variable MAIL_TOKEN is empty']);
    const fromFile = mailYaml(API.map((l) => l.replace('token_env: MAIL_TOKEN', 'token_file: mail.token')));
    expect(await routingProblems(fromFile)).toEqual(['notifications.yaml:8: receivers[0].email.http_api.token_file: cannot read /cfg/mail.token (no such file)']);
    const twoLines = await routingProblems(fromFile, {}, { '/cfg/mail.token': `${TOKEN}\nsecond line ${TOKEN}\n` });
    expect(twoLines).toEqual(['notifications.yaml:8: receivers[0].email.http_api.token_file: the file /cfg/mail.token holds more than one word (a token is one line without spaces)']);
    const spaced = await routingProblems(mailYaml(API), { MAIL_TOKEN: `Bearer ${TOKEN}` });
    expect(spaced).toEqual(['notifications.yaml:8: receivers[0].email.http_api.token_env: environment variable MAIL_TOKEN holds more than one word (a token is one line without spaces)']);
    expect([...twoLines, ...spaced].join('\n')).not.toContain('TOPSECRET');
  });

  it('a misspelt http_api key itself gets a did-you-mean, and no second message about the transport', async () => {
    expect(await routingProblems(mailYaml(['http_ap: {url: https://x.example/e, token: t}', 'from: gw@example.org']))).toEqual([
      'notifications.yaml:6: receivers[0].email.http_ap: unknown key (did you mean http_api?)',
    ]);
  });
});

describe('isMailApiUrl', () => {
  it.each([
    ['https://api.resend.com/emails', true],
    ['https://relay.example.org:8443/send?x=1', true],
    ['http://127.0.0.1:8025/', true],
    ['http://localhost:3000/emails', true],
    ['http://[::1]/emails', true],
    ['http://127.0.0.2/emails', false],
    ['http://localhost.example.org/emails', false],
    ['http://mail.example.org/emails', false],
    ['ftp://mail.example.org', false],
    ['https://', false],
    ['https://api.resend.com/ emails', false],
    ['', false],
  ])('%s → %s', (url, ok) => {
    expect(isMailApiUrl(url)).toBe(ok);
  });
});
