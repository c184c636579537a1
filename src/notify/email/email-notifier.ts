// Email delivery through nodemailer's SMTP transport: created once per SMTP config, text + HTML, bounded timeouts,
// nodemailer's own logging off (it would print the conversation).
import { createTransport } from 'nodemailer';
import type { Notifier, RenderedMessage } from '../notifier.ts';
import { base64Utf8, scrubSecrets } from '../scrub.ts';
import type { Destination, SendResult } from '../types.ts';
import { classifySmtpError } from './classify-smtp-error.ts';

/** Email destination. */
export type EmailDestination = Extract<Destination, { kind: 'email' }>;

/** SMTP transport settings (the `smtp:` block of the service config). */
export interface SmtpConfig {
  /** Tells SMTP settings from an HTTP mail API's (`'http_api'`) where both may be given. */
  transport?: 'smtp';
  host: string;
  port: number;
  /** TLS from the first byte (port 465); false = plain, upgraded with STARTTLS when the server offers it. */
  secure: boolean;
  /** Never use STARTTLS even when offered (a loopback relay, a test server). */
  ignoreTLS?: boolean;
  /** Fail unless the connection is upgraded with STARTTLS (when `secure` is false). */
  requireTLS?: boolean;
  auth: { user: string; pass: string } | null;
  /** Sender address, e.g. `gpuwarden <gpuwarden@example.org>`. */
  from: string;
  /** Bound on connecting, the greeting and each socket read/write. */
  timeoutMs: number;
}

/** Email notifier: also closes its SMTP transport. */
export interface EmailNotifier extends Notifier<EmailDestination> {
  close(): Promise<void>;
}

/** The password's forms as they can appear on the wire (AUTH PLAIN / LOGIN payloads are base64). */
export function smtpSecrets(config: SmtpConfig): string[] {
  if (config.auth === null || config.auth.pass === '') return [];
  const { user, pass } = config.auth;
  return [pass, base64Utf8(`\u0000${user}\u0000${pass}`), base64Utf8(`${user}\u0000${user}\u0000${pass}`)];
}

/** Creates the email notifier and its transport. Throws at construction for a bad timeout or a missing sender. */
export function createEmailNotifier(config: SmtpConfig): EmailNotifier {
  if (!Number.isFinite(config.timeoutMs) || config.timeoutMs <= 0) {
    throw new Error(`Email notifier: timeoutMs must be a positive number of milliseconds, got ${String(config.timeoutMs)}.`);
  }
  if (config.from.trim() === '') throw new Error('Email notifier: `from` (the sender address) is required.');
  const t = config.timeoutMs;
  const transport = createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    ignoreTLS: config.ignoreTLS ?? false,
    requireTLS: config.requireTLS ?? false,
    ...(config.auth !== null ? { auth: { user: config.auth.user, pass: config.auth.pass } } : {}),
    connectionTimeout: t,
    greetingTimeout: t,
    socketTimeout: t,
    dnsTimeout: t,
    logger: false,
    debug: false,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const secrets = smtpSecrets(config);
  let closed = false;

  return {
    async send(message: RenderedMessage, destination: EmailDestination): Promise<SendResult> {
      if (destination.to.length === 0) return { ok: false, retry: false, retryAfterMs: null, error: 'email: no recipient address' };
      try {
        const info = await transport.sendMail({ from: config.from, to: destination.to, subject: message.email.subject, text: message.email.text, html: message.email.html });
        const rejected = info.rejected.map(String);
        if (rejected.length === 0) return { ok: true };
        // Some recipients got it: a retry would send them a duplicate, so report a permanent partial failure.
        const error = `email: ${rejected.length} of ${destination.to.length} recipients rejected (${rejected.join(', ')}); the others received the message`;
        return { ok: false, retry: false, retryAfterMs: null, error: scrubSecrets(error, secrets) };
      } catch (err) {
        // Scrub before any cut (a secret straddling the cut would leak a prefix), and again on the whole text.
        const scrub = (text: string): string => scrubSecrets(text, secrets);
        const failure = classifySmtpError(err, scrub);
        return { ...failure, error: scrub(failure.error) };
      }
    },
    close(): Promise<void> {
      if (!closed) {
        closed = true;
        transport.close();
      }
      return Promise.resolve();
    },
  };
}
