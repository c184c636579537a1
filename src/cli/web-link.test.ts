// `gpuwarden web-link` against a real `serve` (real HTTP, real SQLite file): the link it prints signs a browser in
// as that user on the service; with public_url: the whole URL, without it the path and a note.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaptureService, type CaptureService } from '../../test/support/capture-service.ts';
import { runCommand, type CliRun } from '../../test/support/cli.ts';
import { UsageError } from './usage-error.ts';
import { webLinkCommand } from './web-link.ts';

let plain: CaptureService;
let published: CaptureService;

beforeAll(async () => {
  plain = await startCaptureService('gw-web-link-cli-');
  published = await startCaptureService('gw-web-link-cli-pub-', ['public_url: https://gpu.example.org/']);
});

afterAll(async () => {
  expect(await plain.stop()).toBe(0);
  expect(await published.stop()).toBe(0);
});

/** `gpuwarden web-link ARGS` against `svc`; no output ever holds the admin token. */
async function webLink(svc: CaptureService, args: string[]): Promise<CliRun> {
  const run = await runCommand(webLinkCommand, args, { GPUWARDEN_URL: svc.url, GPUWARDEN_TOKEN_FILE: svc.adminTokenFile });
  expect(run.out + run.err).not.toContain(svc.admin.token);
  return run;
}

describe('gpuwarden web-link against a running service', () => {
  it('without public_url prints the path and says so; opening it on the service signs in as that user', async () => {
    const r = await webLink(plain, ['--user', 'alice', '--ttl', '7d']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const [path, until, note] = r.out.trimEnd().split('\n');
    expect(path).toMatch(/^\/ui\/me\/[A-Za-z0-9_-]{43}$/);
    expect(until).toMatch(/^signs in as alice until 2026-12-02T17:18:19\.467Z$/);
    expect(note).toMatch(/^note: the service has no public URL \(public_url: in gpuwarden\.yaml/);
    const res = await fetch(`${plain.url}${path ?? ''}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/ui/users/alice');
    expect(res.headers.get('set-cookie')).toMatch(/^gw_session=/);
  });

  it('with public_url prints the whole URL; --json prints the reply', async () => {
    const text = await webLink(published, ['--user', 'bob']);
    expect(text.out).toMatch(/^https:\/\/gpu\.example\.org\/ui\/me\/[A-Za-z0-9_-]{43}\nsigns in as bob until 2026-12-25T17:18:19\.467Z\n$/);
    const json = await webLink(published, ['--user', 'bob', '--json']);
    const reply = JSON.parse(json.out) as { user: string; path: string; url: string; expiresAt: string };
    expect(reply).toEqual({ user: 'bob', path: expect.stringMatching(/^\/ui\/me\//), url: `https://gpu.example.org${reply.path}`, expiresAt: '2026-12-25T17:18:19.467Z' });
  });

  it('says what is wrong: the service refusing, a bad --ttl, no --user', async () => {
    const refused = await webLink(plain, ['--user', 'alice', '--ttl', '400d']);
    expect(refused).toEqual({ code: 1, out: '', err: 'gpuwarden web-link: the service answered 400 invalid_link: invalid link request\n  ttl: must be from 1m to 365d\n' });
    await expect(webLink(plain, ['--user', 'alice', '--ttl', '7 days'])).rejects.toThrow(UsageError);
    await expect(webLink(plain, [])).rejects.toThrow('web-link needs --user U');
  });
});
