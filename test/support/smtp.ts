// A real SMTP server (smtp-server) on 127.0.0.1, port 0, for notifier tests: no STARTTLS (its built-in certificate has
// expired; clients set ignoreTLS), optional AUTH with one accepted user/password, every received message kept raw and
// parsed, and scriptable failures (421 at connect, 550 at RCPT, …).
// mailparser is not installed, so parseMail below reads the RFC 822 text itself (headers, encoded words, multipart,
// quoted-printable and base64): enough to assert on To, Subject, the text part and the HTML part.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';

/** Answer a stage of the SMTP conversation with an error reply instead of accepting it. */
export interface SmtpFailure {
  at: 'connect' | 'mail' | 'rcpt' | 'data';
  /** Reply code, e.g. 421 (try later) or 550 (mailbox unavailable). */
  code: number;
  message?: string;
  /** For `rcpt`: reject only these addresses (default: every recipient). */
  recipients?: string[];
}

/** A message as received: envelope, raw RFC 822 text and the parsed parts. */
export interface ReceivedMail extends ParsedMail {
  at: Date;
  mailFrom: string | null;
  rcptTo: string[];
  /** The authenticated user, or null when the session did not authenticate. */
  authUser: string | null;
  raw: string;
}

/** Options of the test server. */
export interface SmtpServerOptions {
  /** Accept AUTH PLAIN/LOGIN with exactly this user and password. Without it, AUTH is not offered. */
  auth?: { user: string; pass: string };
  /** With `auth`: whether a client must authenticate before MAIL FROM (default true). */
  authRequired?: boolean;
  /** Reply text for a failed login (a leaky server may echo what it got: tests that secrets are scrubbed). */
  authFailureMessage?: (user: string, pass: string) => string;
}

/** The running server. */
export interface SmtpTestServer {
  host: string;
  port: number;
  messages: ReceivedMail[];
  /** Login attempts: the user name and whether it was accepted. */
  authAttempts: { user: string; ok: boolean }[];
  /** From now on, answer this stage with an error (null: accept everything again). */
  fail(failure: SmtpFailure | null): void;
  waitForMessages(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

function replyError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

/** Starts the server on 127.0.0.1 with a free port. */
export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<SmtpTestServer> {
  const messages: ReceivedMail[] = [];
  const authAttempts: { user: string; ok: boolean }[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let failure: SmtpFailure | null = null;
  const failing = (at: SmtpFailure['at']): SmtpFailure | null => (failure !== null && failure.at === at ? failure : null);
  const userOf = (session: SMTPServerSession): string | null => (typeof session.user === 'string' ? session.user : null);

  const server = new SMTPServer({
    logger: false,
    disabledCommands: options.auth !== undefined ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: options.auth === undefined || options.authRequired === false,
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      const user = auth.username ?? '';
      const pass = auth.password ?? '';
      const ok = options.auth !== undefined && user === options.auth.user && pass === options.auth.pass;
      authAttempts.push({ user, ok });
      if (ok) return callback(null, { user });
      callback(replyError(535, options.authFailureMessage?.(user, pass) ?? 'Authentication credentials invalid'));
    },
    onConnect(_session, callback) {
      const f = failing('connect');
      callback(f !== null ? replyError(f.code, f.message ?? 'Service not available, try again later') : null);
    },
    onMailFrom(_address: SMTPServerAddress, _session, callback) {
      const f = failing('mail');
      callback(f !== null ? replyError(f.code, f.message ?? 'Sender rejected') : null);
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const f = failing('rcpt');
      const hit = f !== null && (f.recipients === undefined || f.recipients.includes(address.address));
      callback(hit ? replyError(f.code, f.message ?? 'Mailbox unavailable') : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const f = failing('data');
        if (f !== null) return callback(replyError(f.code, f.message ?? 'Message rejected'));
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push({
          at: new Date(),
          mailFrom: session.envelope.mailFrom !== false ? session.envelope.mailFrom.address : null,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          authUser: userOf(session),
          raw,
          ...parseMail(raw),
        });
        for (const w of waiters.filter((w) => messages.length >= w.n)) w.resolve();
        callback(null);
      });
    },
  });
  server.on('error', () => {
    // client-side disconnects in failure tests; the test asserts on what the client saw
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    messages,
    authAttempts,
    fail: (f) => {
      failure = f;
    },
    waitForMessages: (n, timeoutMs = 5_000) =>
      new Promise((resolve, reject) => {
        if (messages.length >= n) return resolve(messages.slice());
        const timer = setTimeout(() => reject(new Error(`smtp test server: ${messages.length} of ${n} messages after ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve(messages.slice());
          },
        });
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What parseMail reads out of a message. */
export interface ParsedMail {
  /** Header values by lower-case name (encoded words decoded), repeated headers in order. */
  headers: Map<string, string[]>;
  subject: string | null;
  from: string | null;
  to: string | null;
  /** The text/plain part, decoded. */
  text: string | null;
  /** The text/html part, decoded. */
  html: string | null;
}

/** Splits a message (or a MIME part) into unfolded headers and the body. */
function splitHeaders(raw: string): { headers: Map<string, string[]>; body: string } {
  const m = /\r?\n\r?\n/.exec(raw);
  const head = m !== null ? raw.slice(0, m.index) : raw;
  const body = m !== null ? raw.slice(m.index + m[0].length) : '';
  const headers = new Map<string, string[]>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), decodeWords(line.slice(colon + 1).trim())]);
  }
  return { headers, body };
}

function bytesToText(bytes: number[], charset: string): string {
  try {
    return new TextDecoder(charset).decode(new Uint8Array(bytes));
  } catch {
    return new TextDecoder('utf-8').decode(new Uint8Array(bytes));
  }
}

function decodeQuotedPrintable(text: string, charset: string): string {
  const soft = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      for (const b of new TextEncoder().encode(soft[i])) bytes.push(b);
    }
  }
  return bytesToText(bytes, charset);
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`); whitespace between adjacent words dropped. */
function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_all, charset: string, enc: string, data: string) =>
    enc.toUpperCase() === 'B' ? bytesToText([...Buffer.from(data, 'base64')], charset) : decodeQuotedPrintable(data.replace(/_/g, ' '), charset),
  );
}

function param(header: string, name: string): string | null {
  const m = new RegExp(`${name}="?([^";]+)"?`, 'i').exec(header);
  return m?.[1] ?? null;
}

function decodeBody(body: string, headers: Map<string, string[]>): string {
  const cte = (headers.get('content-transfer-encoding')?.[0] ?? '7bit').toLowerCase();
  const charset = param(headers.get('content-type')?.[0] ?? '', 'charset') ?? 'utf-8';
  if (cte === 'quoted-printable') return decodeQuotedPrintable(body, charset);
  if (cte === 'base64') return bytesToText([...Buffer.from(body.replace(/\s+/g, ''), 'base64')], charset);
  return body;
}

/** The text/plain and text/html leaves of a (possibly nested multipart) entity. */
function leaves(raw: string): { type: string; text: string }[] {
  const { headers, body } = splitHeaders(raw);
  const contentType = headers.get('content-type')?.[0] ?? 'text/plain';
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? 'text/plain';
  if (type.startsWith('multipart/')) {
    const boundary = param(contentType, 'boundary');
    if (boundary === null) return [];
    const parts = body.split(`--${boundary}`).slice(1);
    return parts.filter((p) => !p.startsWith('--')).flatMap((p) => leaves(p.replace(/^\r?\n/, '').replace(/\r?\n$/, '')));
  }
  return [{ type, text: decodeBody(body, headers) }];
}

/** Parses the RFC 822 text of a message as nodemailer writes it. */
export function parseMail(raw: string): ParsedMail {
  const { headers } = splitHeaders(raw);
  const parts = leaves(raw);
  const first = (name: string): string | null => headers.get(name)?.[0] ?? null;
  return {
    headers,
    subject: first('subject'),
    from: first('from'),
    to: first('to'),
    text: parts.find((p) => p.type === 'text/plain')?.text ?? null,
    html: parts.find((p) => p.type === 'text/html')?.text ?? null,
  };
}

/** A loopback TCP server that accepts connections and never says a word (SMTP greeting timeout). */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
