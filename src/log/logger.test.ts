import { describe, expect, it } from 'vitest';
import { createLogger, lineLog, type LogFormat, type LogLevel } from './logger.ts';

const TS = new Date('2026-11-25T17:20:00.000Z');
const TOKEN = 'gw-test-host-ds01-0123456789abcdef0123456789abcdef';

function capture(level: LogLevel = 'debug', format: LogFormat = 'json'): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, logger: createLogger({ level, format, write: (l) => lines.push(l), now: () => TS }) };
}

describe('createLogger: JSON lines', () => {
  it('writes {"ts","level","msg",...fields} as one parseable line, leaving out undefined fields', () => {
    const { lines, logger } = capture();
    logger.warn('POST /v1/snapshots 403', { status: 403, host: 'ds01', ok: false, none: null, gone: undefined });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toEqual({ ts: TS.toISOString(), level: 'warn', msg: 'POST /v1/snapshots 403', status: 403, host: 'ds01', ok: false, none: null });
    expect(Object.keys(JSON.parse(lines[0] as string)).slice(0, 3)).toEqual(['ts', 'level', 'msg']);
  });

  it('fields cannot overwrite ts, level or msg, and __proto__ is a plain field', () => {
    const { lines, logger } = capture();
    logger.error('real', JSON.parse('{"level":"debug","msg":"fake","ts":"1970","__proto__":"x"}') as Record<string, string>);
    const parsed = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(parsed).toMatchObject({ level: 'error', msg: 'real', ts: TS.toISOString() });
    expect(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value).toBe('x');
  });

  it('one call is one line whatever the text holds: newlines, C1 controls and U+2028 stay escaped', () => {
    const { lines, logger } = capture();
    logger.info('a\nfake line\r\u0085\u2028end', { host: 'x\ny' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/[\n\r\u0085\u2028]/);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ msg: 'a\nfake line\r\u0085\u2028end', host: 'x\ny' });
  });
});

describe('createLogger: levels', () => {
  it('drops lines below the level and says which levels are enabled', () => {
    const { lines, logger } = capture('warn');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(lines.map((l) => (JSON.parse(l) as { level: string }).level)).toEqual(['warn', 'error']);
    expect([logger.enabled('info'), logger.enabled('warn')]).toEqual([false, true]);
  });

  it('debug lets everything through', () => {
    const { lines, logger } = capture('debug');
    for (const level of ['debug', 'info', 'warn', 'error'] as const) logger.log(level, level);
    expect(lines).toHaveLength(4);
  });

  it('refuses an unknown level or format at construction, naming it', () => {
    expect(() => createLogger({ level: 'loud' as LogLevel, format: 'json', write: () => undefined })).toThrow(/log level must be one of debug, info, warn, error, got "loud"/);
    expect(() => createLogger({ level: 'info', format: 'xml' as LogFormat, write: () => undefined })).toThrow(/log format must be json or text, got "xml"/);
  });
});

describe('createLogger: text', () => {
  it('writes time, level and message, then key=value (quoted when needed)', () => {
    const { lines, logger } = capture('debug', 'text');
    logger.warn('POST /v1/snapshots 403', { status: 403, principal: 'ds01', message: 'token is for host "ds01"', empty: '', none: undefined });
    expect(lines).toEqual([`2026-11-25T17:20:00.000Z WARN  POST /v1/snapshots 403 status=403 principal=ds01 message="token is for host \\"ds01\\"" empty=""`]);
  });

  it('escapes control characters in the message and in values', () => {
    const { lines, logger } = capture('debug', 'text');
    logger.error('disk\nforged line\u0000', { detail: 'a\u2028b' });
    expect(lines).toEqual(['2026-11-25T17:20:00.000Z ERROR disk\\nforged line\\x00 detail=a\\u2028b']);
  });
});

describe('createLogger: never a secret', () => {
  for (const format of ['json', 'text'] as const) {
    it(`${format}: secret-named fields, bearer tokens, token= values and webhook URLs are redacted`, () => {
      const { lines, logger } = capture('debug', format);
      logger.warn(`request with Authorization: Bearer ${TOKEN}`, {
        authorization: `Bearer ${TOKEN}`,
        token: TOKEN,
        hostToken: TOKEN,
        password: 'hunter2-hunter2',
        webhookUrl: 'https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX',
        detail: `posting to https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX failed; smtp://mailer:pa55word@mail.example/ refused; ?token=${TOKEN}`,
      });
      const out = lines.join('\n');
      for (const secret of [TOKEN, 'hunter2', 'XXXXSECRETXXXX', 'T000/B000', 'pa55word']) expect(out).not.toContain(secret);
      expect(out).toContain('[redacted]');
      expect(out).toContain('hooks.slack.com');
    });
  }

  it('keeps prose about tokens readable (the 401 messages keep their words)', () => {
    const { lines, logger } = capture();
    logger.warn('missing bearer token (Authorization: Bearer <token>)');
    logger.warn('invalid bearer token');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['missing bearer token (Authorization: Bearer <token>)', 'invalid bearer token']);
  });
});

describe('lineLog: the log(line) shim', () => {
  it('logs a plain line at info and a line with fields at the level it names', () => {
    const { lines, logger } = capture('debug');
    const log = lineLog(logger);
    log('gpuwarden: signal received, closing');
    log('gpuwarden: tick failed: Error: store busy', { level: 'error', host: 'ds01' });
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { ts: TS.toISOString(), level: 'info', msg: 'gpuwarden: signal received, closing' },
      { ts: TS.toISOString(), level: 'error', msg: 'gpuwarden: tick failed: Error: store busy', host: 'ds01' },
    ]);
  });

  it('an unknown level from an untyped caller falls back to info instead of throwing', () => {
    const { lines, logger } = capture('debug');
    lineLog(logger)('x', { level: 'loud' as LogLevel });
    expect(JSON.parse(lines[0] as string)).toMatchObject({ level: 'info', msg: 'x' });
  });
});
