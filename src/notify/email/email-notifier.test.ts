// The email notifier against a real SMTP server on loopback: what arrives, authentication, which failures are worth
// a retry, and no password in any error.
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort } from '../../../test/support/webhook-receiver.ts';
import { startSilentServer, startSmtpServer, type SmtpServerOptions, type SmtpTestServer } from '../../../test/support/smtp.ts';
import { renderMessage } from '../render/render.ts';
import { goldenSamples } from '../test-support.ts';
import type { SendResult } from '../types.ts';
import { createEmailNotifier, smtpSecrets, type EmailDestination, type EmailNotifier, type SmtpConfig } from './email-notifier.ts';

const PASS = 'hunter2-Sup3r-secret!';
const USER = 'gpuwarden';
const message = renderMessage(goldenSamples()['admin-group'].group);
const to: EmailDestination = { kind: 'email', to: ['ops@example.org', 'h.baker@hertie-school.lan'] };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(options: SmtpServerOptions = {}): Promise<SmtpTestServer> {
  const s = await startSmtpServer(options);
  cleanups.push(() => s.close());
  return s;
}

function notifier(port: number, over: Partial<SmtpConfig> = {}): EmailNotifier {
  const n = createEmailNotifier({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, auth: null, from: 'gpuwarden <gpuwarden@example.org>', timeoutMs: 2_000, ...over });
  cleanups.push(() => n.close());
  return n;
}

function expectNoPassword(result: SendResult): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  for (const secret of smtpSecrets({ host: '', port: 0, secure: false, auth: { user: USER, pass: PASS }, from: 'x', timeoutMs: 1 })) {
    expect(result.error).not.toContain(secret);
  }
  expect(result.error).not.toContain('hunter2');
}

describe('email notifier', () => {
  it('delivers text and HTML with the rendered subject to every recipient', async () => {
    const smtp = await server();
    expect(await notifier(smtp.port).send(message, to)).toEqual({ ok: true });
    const [mail] = await smtp.waitForMessages(1);
    expect(mail?.mailFrom).toBe('gpuwarden@example.org');
    expect(mail?.rcptTo).toEqual(['ops@example.org', 'h.baker@hertie-school.lan']);
    expect(mail?.to).toBe('ops@example.org, h.baker@hertie-school.lan');
    expect(mail?.from).toBe('gpuwarden <gpuwarden@example.org>');
    expect(mail?.subject).toBe(message.email.subject);
    expect(mail?.text?.replace(/\r\n/g, '\n')).toBe(message.email.text);
    expect(mail?.html?.replace(/\r\n/g, '\n')).toBe(message.email.html);
    expect(mail?.headers.get('content-type')?.[0]).toMatch(/^multipart\/alternative/);
    expect(mail?.authUser).toBeNull();
  });

  it('non-ASCII subject and bodies arrive intact (encoded words, quoted-printable / base64)', async () => {
    const smtp = await server();
    const text = `Grüße — GPU 1 at 87 °C 🙂\n${'long line '.repeat(40)}\n`;
    const unicode = { ...message, email: { subject: '[gpuwarden] ärger — 🙂 GPU 1 at 87 °C', text, html: `<p>${text}</p>` } };
    expect(await notifier(smtp.port).send(unicode, to)).toEqual({ ok: true });
    const [mail] = await smtp.waitForMessages(1);
    expect(mail?.subject).toBe(unicode.email.subject);
    expect(mail?.text?.replace(/\r\n/g, '\n')).toBe(text);
    expect(mail?.html?.replace(/\r\n/g, '\n')).toBe(`<p>${text}</p>`);
  });

  it('authenticates with the configured user and password', async () => {
    const smtp = await server({ auth: { user: USER, pass: PASS } });
    expect(await notifier(smtp.port, { auth: { user: USER, pass: PASS } }).send(message, to)).toEqual({ ok: true });
    const [mail] = await smtp.waitForMessages(1);
    expect(mail?.authUser).toBe(USER);
    expect(smtp.authAttempts).toEqual([{ user: USER, ok: true }]);
  });

  it('a server that requires AUTH refuses a client without credentials: no retry', async () => {
    const smtp = await server({ auth: { user: USER, pass: PASS } });
    const result = await notifier(smtp.port).send(message, to);
    expect(result).toMatchObject({ ok: false, retry: false });
    expect(smtp.messages).toEqual([]);
  });

  it('a wrong password → no retry, and the password is not in the error even when the server echoes it', async () => {
    const smtp = await server({ auth: { user: USER, pass: 'the-right-one' }, authFailureMessage: (u, p) => `Authentication failed for ${u} with password ${p}` });
    const result = await notifier(smtp.port, { auth: { user: USER, pass: PASS } }).send(message, to);
    expect(result).toMatchObject({ ok: false, retry: false, retryAfterMs: null });
    if (!result.ok) expect(result.error).toMatch(/^email: authentication failed: SMTP 535 .*\[redacted\]/);
    expectNoPassword(result);
  });

  it('550 for every recipient → no retry', async () => {
    const smtp = await server();
    smtp.fail({ at: 'rcpt', code: 550, message: 'Mailbox unavailable' });
    const result = await notifier(smtp.port).send(message, to);
    expect(result).toMatchObject({ ok: false, retry: false, retryAfterMs: null });
    if (!result.ok) expect(result.error).toContain('550');
    expect(smtp.messages).toEqual([]);
  });

  it('550 for one of two recipients → the other gets it, reported as a permanent partial failure (no duplicate by retry)', async () => {
    const smtp = await server();
    smtp.fail({ at: 'rcpt', code: 550, recipients: ['ops@example.org'] });
    const result = await notifier(smtp.port).send(message, to);
    expect(result).toEqual({ ok: false, retry: false, retryAfterMs: null, error: 'email: 1 of 2 recipients rejected (ops@example.org); the others received the message' });
    expect((await smtp.waitForMessages(1))[0]?.rcptTo).toEqual(['h.baker@hertie-school.lan']);
  });

  it('450 at RCPT (mailbox busy) → retry', async () => {
    const smtp = await server();
    smtp.fail({ at: 'rcpt', code: 450, message: 'Mailbox busy' });
    expect(await notifier(smtp.port).send(message, to)).toMatchObject({ ok: false, retry: true });
  });

  it('421 at connect → retry', async () => {
    const smtp = await server();
    smtp.fail({ at: 'connect', code: 421, message: 'Too many connections, try again later' });
    const result = await notifier(smtp.port).send(message, to);
    expect(result).toMatchObject({ ok: false, retry: true, retryAfterMs: null });
    if (!result.ok) expect(result.error).toContain('421');
  });

  it('554 after DATA (content rejected) → no retry; 451 after DATA → retry', async () => {
    const smtp = await server();
    smtp.fail({ at: 'data', code: 554, message: 'Message rejected as spam' });
    expect(await notifier(smtp.port).send(message, to)).toMatchObject({ ok: false, retry: false });
    smtp.fail({ at: 'data', code: 451, message: 'Local error, try later' });
    expect(await notifier(smtp.port).send(message, to)).toMatchObject({ ok: false, retry: true });
  });

  it('the same notifier sends again after a failure (one transport per config)', async () => {
    const smtp = await server();
    const n = notifier(smtp.port);
    smtp.fail({ at: 'mail', code: 451 });
    expect(await n.send(message, to)).toMatchObject({ ok: false, retry: true });
    smtp.fail(null);
    expect(await n.send(message, to)).toEqual({ ok: true });
    expect(await n.send(message, to)).toEqual({ ok: true });
    expect(await smtp.waitForMessages(2)).toHaveLength(2);
  });

  it('connection refused → retry, no password in the error', async () => {
    const result = await notifier(await closedPort(), { auth: { user: USER, pass: PASS } }).send(message, to);
    expect(result).toMatchObject({ ok: false, retry: true, retryAfterMs: null });
    if (!result.ok) expect(result.error).toContain('ECONNREFUSED');
    expectNoPassword(result);
  });

  it('a server that never greets → timeout → retry', async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());
    const started = Date.now();
    const result = await notifier(silent.port, { timeoutMs: 300 }).send(message, to);
    expect(result).toMatchObject({ ok: false, retry: true });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('no recipients → no retry, nothing sent', async () => {
    const smtp = await server();
    expect(await notifier(smtp.port).send(message, { kind: 'email', to: [] })).toEqual({ ok: false, retry: false, retryAfterMs: null, error: 'email: no recipient address' });
    expect(smtp.messages).toEqual([]);
  });

  it('refuses bad settings at construction', () => {
    const base: SmtpConfig = { host: 'h', port: 25, secure: false, auth: null, from: 'a@b', timeoutMs: 1_000 };
    expect(() => createEmailNotifier({ ...base, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => createEmailNotifier({ ...base, from: ' ' })).toThrow(/from/);
  });

  it('close() is idempotent', async () => {
    const n = notifier(25);
    await n.close();
    await n.close();
  });
});
