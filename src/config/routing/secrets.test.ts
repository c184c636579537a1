import { describe, expect, it } from 'vitest';
import { isWebhookUrl, resolveSecret, type SecretContext } from './secrets.ts';

function ctx(files: Record<string, string> = {}, env: Record<string, string> = {}): SecretContext & { reads: string[] } {
  const reads: string[] = [];
  return {
    baseDir: '/etc/gpuwarden',
    env,
    reads,
    readTextFile: async (p) => {
      reads.push(p);
      const text = files[p];
      if (text === undefined) throw Object.assign(new Error('nope'), { code: p.includes('denied') ? 'EACCES' : 'ENOENT' });
      return text;
    },
  };
}

describe('resolveSecret', () => {
  it('a dry run (routes test) reads no variable and no file: the value is empty, marked unread, with where it would come from', async () => {
    const c = { ...ctx({ '/etc/gpuwarden/t.token': 'tok' }, { TOK: 'from-env' }), dryRun: true };
    expect(await resolveSecret('token', { token_env: 'TOK' }, c, true)).toEqual({ ok: true, value: '', key: 'token_env', origin: 'token_env TOK', unread: true });
    expect(await resolveSecret('token', { token_env: 'UNSET' }, c, true)).toMatchObject({ ok: true, value: '', unread: true });
    expect(await resolveSecret('token', { token_file: 'missing.token' }, c, true)).toEqual({ ok: true, value: '', key: 'token_file', origin: 'token_file missing.token', unread: true });
    expect(c.reads).toEqual([]);
    expect(await resolveSecret('token', { token: 'inline' }, c, true)).toMatchObject({ ok: true, value: 'inline' });
  });

  it('where files are refused (Workers): a *_file key gets that sentence and nothing is read; env and inline still work', async () => {
    const c = { ...ctx({ '/etc/gpuwarden/t.token': 'tok' }, { TOK: 'from-env' }), filesRefused: (envKey: string) => `no files here: use ${envKey}` };
    expect(await resolveSecret('token', { token_file: 't.token' }, c, true)).toEqual({ ok: false, key: 'token_file', message: 'no files here: use token_env' });
    expect(c.reads).toEqual([]);
    expect(await resolveSecret('token', { token_env: 'TOK' }, c, true)).toMatchObject({ ok: true, value: 'from-env' });
    expect(await resolveSecret('token', { token: 'inline' }, c, true)).toMatchObject({ ok: true, value: 'inline' });
  });

  it('inline: as written (trimmed on request)', async () => {
    expect(await resolveSecret('webhook_url', { webhook_url: ' https://x ' }, ctx(), true)).toEqual({ ok: true, value: 'https://x', key: 'webhook_url', origin: 'webhook_url' });
    expect(await resolveSecret('password', { password: ' pw ' }, ctx(), false)).toMatchObject({ ok: true, value: ' pw ' });
  });

  it('from the environment, naming the variable when it is unset or empty', async () => {
    const c = ctx({}, { URL: 'https://x\n', EMPTY: ' ' });
    expect(await resolveSecret('webhook_url', { webhook_url_env: 'URL' }, c, true)).toEqual({
      ok: true,
      value: 'https://x',
      key: 'webhook_url_env',
      origin: 'environment variable URL',
    });
    expect(await resolveSecret('webhook_url', { webhook_url_env: 'NOPE' }, c, true)).toEqual({
      ok: false,
      key: 'webhook_url_env',
      message: 'environment variable NOPE is not set',
    });
    expect(await resolveSecret('webhook_url', { webhook_url_env: 'EMPTY' }, c, true)).toEqual({
      ok: false,
      key: 'webhook_url_env',
      message: 'environment variable EMPTY is empty',
    });
  });

  it('does not take inherited properties for variables', async () => {
    expect(await resolveSecret('password', { password_env: 'toString' }, ctx(), false)).toMatchObject({ ok: false, message: 'environment variable toString is not set' });
  });

  it('from a file relative to the config folder (or absolute), without its final line break', async () => {
    const c = ctx({ '/etc/gpuwarden/secrets/smtp.password': 'pw with space \n', '/run/url': '  https://x/y \r\n' });
    expect(await resolveSecret('password', { password_file: 'secrets/smtp.password' }, c, false)).toEqual({
      ok: true,
      value: 'pw with space ',
      key: 'password_file',
      origin: 'the file /etc/gpuwarden/secrets/smtp.password',
    });
    expect(await resolveSecret('webhook_url', { webhook_url_file: '/run/url' }, c, true)).toMatchObject({ ok: true, value: 'https://x/y' });
    expect(c.reads).toEqual(['/etc/gpuwarden/secrets/smtp.password', '/run/url']);
  });

  it('names a file that cannot be read or is empty, never its content', async () => {
    const c = ctx({ '/etc/gpuwarden/empty': '\n' });
    expect(await resolveSecret('password', { password_file: 'missing' }, c, false)).toEqual({
      ok: false,
      key: 'password_file',
      message: 'cannot read /etc/gpuwarden/missing (no such file)',
    });
    expect(await resolveSecret('password', { password_file: '/root/denied' }, c, false)).toEqual({
      ok: false,
      key: 'password_file',
      message: 'cannot read /root/denied (EACCES)',
    });
    expect(await resolveSecret('password', { password_file: 'empty' }, c, false)).toEqual({ ok: false, key: 'password_file', message: '/etc/gpuwarden/empty is empty' });
  });

  it('no source at all (the schema prevents it; said plainly anyway)', async () => {
    expect(await resolveSecret('password', {}, ctx(), false)).toEqual({ ok: false, key: 'password', message: 'needs one of password, password_file or password_env' });
  });
});

describe('isWebhookUrl', () => {
  it.each(['https://hooks.slack.com/services/T0/B0/x', 'http://127.0.0.1:9999/hook'])('accepts %s', (u) => {
    expect(isWebhookUrl(u)).toBe(true);
  });

  it.each(['hooks.slack.com/services/x', 'ftp://x/y', 'https://', 'https://x/a b', 'mailto:a@b.org', ''])('rejects %s', (u) => {
    expect(isWebhookUrl(u)).toBe(false);
  });
});
