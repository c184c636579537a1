import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileRedactPatterns } from './redact-patterns.ts';
import { DEFAULT_REDACTION, redactArgv, redactCommandText } from './redact-argv.ts';

const corpusSchema = z.object({
  cases: z.array(z.object({ note: z.string(), argv: z.array(z.string()), expected: z.array(z.string()), redacted: z.boolean() })),
});
const corpus = corpusSchema.parse(JSON.parse(readFileSync(new URL('../../../test/fixtures/redact/cmdlines.json', import.meta.url), 'utf8')));

describe('redactArgv on the corpus', () => {
  it('has at least 30 command lines, secrets and look-alikes', () => {
    expect(corpus.cases.length).toBeGreaterThanOrEqual(30);
    expect(corpus.cases.filter((c) => !c.redacted).length).toBeGreaterThanOrEqual(8);
  });

  it.each(corpus.cases.map((c) => [c.note, c] as const))('%s', (_note, c) => {
    expect(redactArgv(c.argv)).toEqual({ argv: c.expected, redacted: c.redacted });
  });

  it.each(corpus.cases.map((c) => [c.note, c] as const))('is idempotent: %s', (_note, c) => {
    expect(redactArgv(c.expected)).toEqual({ argv: c.expected, redacted: c.redacted });
  });

  it('no secret of the corpus survives anywhere in the output', () => {
    for (const c of corpus.cases.filter((x) => x.redacted)) {
      const removed = c.argv.filter((a, i) => c.expected[i] !== a && !a.includes('***'));
      const out = redactArgv(c.argv).argv.join(' ');
      for (const original of removed) {
        const secret = original.includes('=') && !original.includes('://') ? original.slice(original.indexOf('=') + 1) : original;
        if (secret.length >= 6 && !secret.includes('@')) expect(out).not.toContain(secret);
      }
    }
  });
});

describe('redactArgv', () => {
  it('leaves argv[0] alone and never takes the program as a flag value', () => {
    expect(redactArgv(['--password', 'x'])).toEqual({ argv: ['--password', '***'], redacted: true });
    expect(redactArgv(['/usr/bin/python'])).toEqual({ argv: ['/usr/bin/python'], redacted: false });
    expect(redactArgv([])).toEqual({ argv: [], redacted: false });
  });

  it('masks a secret flag at the very end without a value as nothing', () => {
    expect(redactArgv(['app', '--token'])).toEqual({ argv: ['app', '--token'], redacted: false });
  });

  it('applies the admin patterns to each argument, after the built-in rules', () => {
    const rules = { extraPatterns: compileRedactPatterns(['--sig=(\\S+)', 'LAB-[0-9]{4}']) };
    expect(redactArgv(['app', '--sig=deadbeef', 'run-LAB-1234', '--lr=1'], rules)).toEqual({
      argv: ['app', '--sig=***', 'run-***', '--lr=1'],
      redacted: true,
    });
    expect(redactArgv(['app', '--sig=deadbeef'], DEFAULT_REDACTION).redacted).toBe(false);
  });
});

describe('redactCommandText', () => {
  it('masks a space-joined command line (nvidia-smi process_name) word by word', () => {
    expect(redactCommandText('python train.py --hf-token hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789 --lr 1')).toEqual({
      text: 'python train.py --hf-token *** --lr 1',
      redacted: true,
    });
    expect(redactCommandText('/usr/lib/xorg/Xorg')).toEqual({ text: '/usr/lib/xorg/Xorg', redacted: false });
  });
});

describe('redactArgv properties', () => {
  const word = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom('--api-key', '--token', 'PASSWORD=', 'x://u:p@h', ' ', '\t', '--a=b c', '***', 'hf_', '='),
  );
  it('never throws, keeps the argument count, and a second pass changes nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.array(word, { maxLength: 4 }).map((ws) => ws.join('')), { maxLength: 8 }), (argv) => {
        const once = redactArgv(argv);
        expect(once.argv).toHaveLength(argv.length);
        expect(redactArgv(once.argv).argv).toEqual(once.argv);
      }),
      { numRuns: 500 },
    );
  });
});

describe('redactArgv edge cases', () => {
  it.each([
    [['app', '--password='], ['app', '--password='], false],
    [['app', '--password', ''], ['app', '--password', ''], false],
    [['app', '-password', 'x'], ['app', '-password', '***'], true],
    [['app', '-p', 'hunter2'], ['app', '-p', 'hunter2'], false],
    [['app', '--token', '--verbose'], ['app', '--token', '--verbose'], false],
    [['app', '--api-key', '-'], ['app', '--api-key', '-'], false],
    [['app', '--Password=x'], ['app', '--Password=***'], true],
    [['app', 'x=--password=y'], ['app', 'x=--password=y'], false],
    [['app', '++db.password=y', '~trainer.api_key=z'], ['app', '++db.password=***', '~trainer.api_key=***'], true],
  ] as const)('%j → %j', (argv, expected, redacted) => {
    expect(redactArgv([...argv])).toEqual({ argv: [...expected], redacted });
  });

  it('keeps the whitespace of a one-argument command while masking inside it', () => {
    expect(redactArgv(['sh', '-c', 'a  --token\tT1  b'])).toEqual({ argv: ['sh', '-c', 'a  --token\t***  b'], redacted: true });
  });
});
