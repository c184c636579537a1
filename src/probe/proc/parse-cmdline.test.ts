import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactArgv } from '../redact/redact-argv.ts';
import { compileRedactPatterns } from '../redact/redact-patterns.ts';
import { CMDLINE_DISPLAY_MAX_CHARS, parseCmdline, pathBasename, redactProcCmdline } from './parse-cmdline.ts';

describe('parseCmdline redacts secrets', () => {
  it('masks secret values in argv and display and says so', () => {
    const c = parseCmdline('python\0train.py\0--wandb-api-key\x000123abcd\0--lr=1\0');
    expect(c).toEqual({
      argv: ['python', 'train.py', '--wandb-api-key', '***', '--lr=1'],
      display: 'python train.py --wandb-api-key *** --lr=1',
      basename: 'python',
      redacted: true,
    });
  });

  it('uses the admin patterns it is given', () => {
    const rules = { extraPatterns: compileRedactPatterns(['LAB-\\d+']) };
    expect(parseCmdline('run\0LAB-42\0', rules).display).toBe('run ***');
  });

  it('never puts the secret in the display, even past the display cap', () => {
    const long = `python\0${'x'.repeat(5000)}\0--hf_token=hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789\0`;
    expect(parseCmdline(long).argv.join(' ')).not.toContain('hf_AbCd');
  });
});

describe('redactProcCmdline', () => {
  it('rewrites /proc/<pid>/cmdline bytes with the secrets masked, NULs kept', () => {
    expect(redactProcCmdline('env\0PGPASSWORD=letmein\0psql\0')).toBe('env\0PGPASSWORD=***\0psql\0');
    expect(redactProcCmdline('nginx: master process --token abc')).toBe('nginx: master process --token ***');
  });

  it('returns clean text unchanged, byte for byte', () => {
    for (const t of ['', '\0', 'prog\0\0x\0', '/usr/bin/python3\0train.py\0']) expect(redactProcCmdline(t)).toBe(t);
  });
});

describe('parseCmdline', () => {
  it('splits on NUL and drops the trailing terminator', () => {
    expect(parseCmdline('/usr/bin/python3\0train.py\0--lr\x000.1\0')).toEqual({
      argv: ['/usr/bin/python3', 'train.py', '--lr', '0.1'],
      display: '/usr/bin/python3 train.py --lr 0.1',
      basename: 'python3',
      redacted: false,
    });
  });

  it('keeps empty arguments in the middle', () => {
    expect(parseCmdline('prog\0\0x\0').argv).toEqual(['prog', '', 'x']);
  });

  it('works without a trailing NUL (setproctitle rewrites)', () => {
    expect(parseCmdline('nginx: master process /usr/sbin/nginx')).toEqual({
      argv: ['nginx: master process /usr/sbin/nginx'],
      display: 'nginx: master process /usr/sbin/nginx',
      basename: 'nginx',
      redacted: false,
    });
  });

  it('kernel threads and zombies (empty cmdline) give nulls', () => {
    const empty = { argv: [], display: null, basename: null, redacted: false };
    expect(parseCmdline('')).toEqual(empty);
    expect(parseCmdline('\0')).toEqual(empty);
    expect(parseCmdline('\0\0')).toEqual(empty);
    expect(parseCmdline(undefined as unknown as string)).toEqual(empty);
  });

  it('basename of a bare program name and of a path ending in /', () => {
    expect(parseCmdline('Xorg\0:0\0').basename).toBe('Xorg');
    expect(parseCmdline('/usr/lib/xorg/Xorg\0:0\0').basename).toBe('Xorg');
    expect(parseCmdline('/weird/\0').basename).toBeNull();
  });

  it('caps display at 4096 chars, never splitting a surrogate pair', () => {
    const long = parseCmdline(`python\0${'x'.repeat(10_000)}\0`);
    expect(long.display).toHaveLength(CMDLINE_DISPLAY_MAX_CHARS);
    expect(long.argv[1]).toHaveLength(10_000);
    const emoji = parseCmdline(`${'a'.repeat(4095)}😀tail`);
    expect(emoji.display).toBe('a'.repeat(4095));
  });

  it('reads this process for real', () => {
    const cmd = parseCmdline(readFileSync('/proc/self/cmdline', 'utf8'));
    expect(cmd.argv[0]).toBe(process.argv0);
    expect(cmd.basename).toBe(pathBasename(process.argv0));
  });

  it('round-trips any argv without NULs (through the redactor, which keeps the argument count)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary', maxLength: 30 }).filter((s) => !s.includes('\0')), { minLength: 1, maxLength: 8 }),
        (argv) => {
          const parsed = parseCmdline(`${argv.join('\0')}\0`);
          if (argv.every((a) => a === '')) {
            expect(parsed.argv).toEqual([]);
          } else {
            const masked = redactArgv(argv);
            expect(parsed.argv).toEqual(masked.argv);
            expect(parsed.argv).toHaveLength(argv.length);
            expect(parsed.redacted).toBe(masked.redacted);
            expect(parsed.display).toBe(masked.argv.join(' ').slice(0, CMDLINE_DISPLAY_MAX_CHARS));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('pathBasename', () => {
  it('returns the part after the last slash, or null when empty', () => {
    expect(pathBasename('/a/b/c')).toBe('c');
    expect(pathBasename('c')).toBe('c');
    expect(pathBasename('')).toBeNull();
    expect(pathBasename('/')).toBeNull();
  });
});
