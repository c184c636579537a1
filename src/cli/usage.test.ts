// Help never drifts from the code: every command's usage names exactly the flags its parseArgs accepts and its exit
// codes, and `-h` / `--help` print that usage (exit 0) wherever they are given.
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../test/support/cli.ts';
import { ACTIONS_FLAGS } from './actions.ts';
import { ALERTS_FLAGS } from './alerts.ts';
import { EVENTS_FLAGS } from './events.ts';
import { CAPTURE_FLAGS } from './capture.ts';
import { CONFIG_FLAGS } from './config-check.ts';
import { GRANT_FLAGS } from './grant.ts';
import { COMMAND_NAMES, main } from './main.ts';
import { NOTIFY_FLAGS } from './notify-test.ts';
import { PROBE_FLAGS } from './probe.ts';
import { ROUTES_TEST_FLAGS } from './routes-test.ts';
import { RULES_CHECK_FLAGS } from './rules-check.ts';
import { RULES_TEST_FLAGS } from './rules-test.ts';
import { SERVE_FLAGS } from './serve.ts';
import { SILENCE_FLAGS } from './silence.ts';
import { TOKEN_FLAGS } from './token.ts';
import { USAGE_FLAGS } from './gpu-usage.ts';
import { WEB_LINK_FLAGS } from './web-link.ts';
import {
  ACTIONS_USAGE, ALERTS_USAGE, EVENTS_USAGE, CAPTURE_USAGE, CONFIG_USAGE, GRANT_USAGE, NOTIFY_USAGE, PROBE_USAGE, ROUTES_TEST_USAGE, RULES_CHECK_USAGE,
  RULES_TEST_USAGE, RULES_USAGE, SERVE_USAGE, SILENCE_USAGE, TOKEN_USAGE, USAGE_USAGE, WEB_LINK_USAGE,
} from './usage.ts';

/** Each command (and subcommand with flags of its own): its usage, its parseArgs options, other commands' flags it mentions. */
const TABLE: { words: string; usage: string; flags: Record<string, unknown>; mentions?: string[] }[] = [
  { words: 'probe', usage: PROBE_USAGE, flags: PROBE_FLAGS },
  { words: 'capture', usage: CAPTURE_USAGE, flags: CAPTURE_FLAGS, mentions: ['once', 'replay'] },
  { words: 'serve', usage: SERVE_USAGE, flags: SERVE_FLAGS },
  { words: 'rules check', usage: RULES_CHECK_USAGE, flags: RULES_CHECK_FLAGS },
  { words: 'rules test', usage: RULES_TEST_USAGE, flags: RULES_TEST_FLAGS },
  { words: 'config', usage: CONFIG_USAGE, flags: CONFIG_FLAGS },
  { words: 'token', usage: TOKEN_USAGE, flags: TOKEN_FLAGS },
  { words: 'alerts', usage: ALERTS_USAGE, flags: ALERTS_FLAGS },
  { words: 'usage', usage: USAGE_USAGE, flags: USAGE_FLAGS },
  { words: 'events', usage: EVENTS_USAGE, flags: EVENTS_FLAGS },
  { words: 'web-link', usage: WEB_LINK_USAGE, flags: WEB_LINK_FLAGS },
  { words: 'silence', usage: SILENCE_USAGE, flags: SILENCE_FLAGS },
  { words: 'grant', usage: GRANT_USAGE, flags: GRANT_FLAGS },
  { words: 'actions', usage: ACTIONS_USAGE, flags: ACTIONS_FLAGS },
  { words: 'routes', usage: ROUTES_TEST_USAGE, flags: ROUTES_TEST_FLAGS },
  { words: 'notify', usage: NOTIFY_USAGE, flags: NOTIFY_FLAGS },
];

function flagsNamedIn(usage: string): Set<string> {
  return new Set([...usage.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((m) => m[1] ?? ''));
}

describe('usage texts', () => {
  it('cover every command main knows', () => {
    expect(new Set(TABLE.map((t) => t.words.split(' ')[0]))).toEqual(new Set(Object.keys(COMMAND_NAMES)));
  });

  for (const { words, usage, flags, mentions = [] } of TABLE) {
    it(`gpuwarden ${words}: names every flag its parseArgs accepts, and no other`, () => {
      const named = flagsNamedIn(usage);
      const accepted = Object.keys(flags);
      expect(accepted.filter((f) => !named.has(f)), 'accepted but not in the usage').toEqual([]);
      expect([...named].filter((f) => !accepted.includes(f) && !mentions.includes(f)), 'in the usage but not accepted').toEqual([]);
      expect(usage).toMatch(/\nExit codes: 0 [\s\S]*\b2 bad usage/);
    });
  }

  it('the drift check itself notices a flag left out', () => {
    expect(flagsNamedIn('gpuwarden x [--json]\n  --token-file F  …').has('url')).toBe(false);
    expect([...flagsNamedIn('a --token-file F and --no-docker, not x--y or ---z')]).toEqual(['token-file', 'no-docker']);
  });
});

describe('-h and --help', () => {
  const cli = (...args: string[]) => runCommand(main, args);

  for (const [name, subs] of Object.entries(COMMAND_NAMES)) {
    for (const words of [[name], ...subs.map((s) => [name, s])]) {
      it(`gpuwarden ${words.join(' ')} --help / -h prints the usage to stdout, exit 0`, async () => {
        const viaHelp = await cli('help', ...words);
        expect(viaHelp.code).toBe(0);
        expect(viaHelp.out).toMatch(new RegExp(`^gpuwarden ${name}`));
        for (const flag of ['--help', '-h']) {
          // After other flags too, even ones that would be refused: help wins.
          expect(await cli(...words, flag)).toEqual({ code: 0, out: viaHelp.out, err: '' });
          expect(await cli(...words, '--colour', flag)).toEqual({ code: 0, out: viaHelp.out, err: '' });
        }
      });
    }
  }

  it('a subcommand with its own usage shows that one', async () => {
    expect((await cli('rules', 'test', '--help')).out).toBe(RULES_TEST_USAGE);
    expect((await cli('rules', 'check', '-h')).out).toBe(RULES_CHECK_USAGE);
    expect((await cli('rules', '--help')).out).toBe(RULES_USAGE);
    expect((await cli('help', 'rules', 'test')).out).toBe(RULES_TEST_USAGE);
  });

  it('a -h after -- is an argument, not a request for help', async () => {
    const r = await cli('rules', 'check', '--', '-h');
    expect(r.code).toBe(1);
    expect(r.err).toContain('cannot read rules folder -h');
  });

  it('help for an unknown command or subcommand exits 2 with one clear line first', async () => {
    const bogus = await cli('help', 'bogus');
    expect(bogus.code).toBe(2);
    expect(bogus.out).toBe('');
    expect(bogus.err.split('\n')[0]).toBe('gpuwarden help: unknown command "bogus"');
    const sub = await cli('help', 'silence', 'mute');
    expect(sub.code).toBe(2);
    expect(sub.err.split('\n')[0]).toBe('gpuwarden help: "silence" has no subcommand "mute" (it has: add, ls, expire)');
    const unknown = await cli('bogus', '--help');
    expect(unknown.code).toBe(2);
    expect(unknown.err.split('\n')[0]).toBe('gpuwarden: unknown command "bogus"');
  });

  it('the index lists every command and says how to get help', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    for (const name of Object.keys(COMMAND_NAMES)) expect(r.out).toContain(`\n  gpuwarden ${name}`);
    expect(r.out).toContain('"gpuwarden COMMAND --help"');
  });
});
