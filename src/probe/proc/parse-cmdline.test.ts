import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CMDLINE_DISPLAY_MAX_CHARS, parseCmdline, pathBasename } from './parse-cmdline.ts';

describe('parseCmdline', () => {
  it('splits on NUL and drops the trailing terminator', () => {
    expect(parseCmdline('/usr/bin/python3\0train.py\0--lr\x000.1\0')).toEqual({
      argv: ['/usr/bin/python3', 'train.py', '--lr', '0.1'],
      display: '/usr/bin/python3 train.py --lr 0.1',
      basename: 'python3',
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
    });
  });

  it('kernel threads and zombies (empty cmdline) give nulls', () => {
    const empty = { argv: [], display: null, basename: null };
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

  it('round-trips any argv without NULs', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary', maxLength: 30 }).filter((s) => !s.includes('\0')), { minLength: 1, maxLength: 8 }),
        (argv) => {
          const parsed = parseCmdline(`${argv.join('\0')}\0`);
          if (argv.every((a) => a === '')) {
            expect(parsed.argv).toEqual([]);
          } else {
            expect(parsed.argv).toEqual(argv);
            expect(parsed.display).toBe(argv.join(' ').slice(0, CMDLINE_DISPLAY_MAX_CHARS));
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
