// Terminal discovery and writing on a fake /proc and /dev, where /dev/pts/N is a plain file that can be read back.
import { chown, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cleanMessage, findTerminals, MAX_WARN_BYTES, warnUser } from './warn-terminals.ts';

const ALICE = 1001;
const BOB = 1002;
let root: string;
let roots: { procRoot: string; devRoot: string; charDevicesOnly: boolean };

async function proc(pid: number, links: Record<number, string>): Promise<void> {
  await mkdir(join(root, 'proc', String(pid), 'fd'), { recursive: true });
  for (const [fd, target] of Object.entries(links)) await symlink(target, join(root, 'proc', String(pid), 'fd', fd));
}

async function terminal(rel: string, uid: number): Promise<void> {
  const path = join(root, 'dev', rel);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, '');
  await chown(path, uid, uid);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gw-warn-'));
  roots = { procRoot: join(root, 'proc'), devRoot: join(root, 'dev'), charDevicesOnly: false };
  await terminal('pts/3', ALICE);
  await terminal('pts/7', BOB);
  await terminal('tty2', ALICE);
  await proc(100, { 0: '/dev/pts/3', 1: '/dev/pts/3', 2: '/dev/pts/3' });
  await proc(101, { 0: '/dev/null', 1: '/dev/pts/7', 2: 'socket:[123]' });
  await proc(102, { 0: '/dev/tty2' });
  await proc(103, { 1: '/dev/pts/../../etc/passwd' });
  await mkdir(join(root, 'proc', 'self'), { recursive: true });
});

describe('warn', () => {
  it("finds the person's terminals only", async () => {
    expect(await findTerminals(roots, ALICE)).toEqual([join(root, 'dev/pts/3'), join(root, 'dev/tty2')]);
    expect(await findTerminals(roots, BOB)).toEqual([join(root, 'dev/pts/7')]);
    expect(await findTerminals(roots, 4242)).toEqual([]);
  });

  it('counts only character devices unless told otherwise', async () => {
    expect(await findTerminals({ ...roots, charDevicesOnly: true }, ALICE)).toEqual([]);
  });

  it('writes the cleaned message to each terminal', async () => {
    const result = await warnUser(roots, 'alice', ALICE, 'GPU idle for 2 h\n\x1b[31mstop\x07 soon');
    expect(result).toEqual({ outcome: 'done', detail: 'written to 2 terminal(s)' });
    const text = await readFile(join(root, 'dev/pts/3'), 'utf8');
    expect(text).toBe('\r\n[gpuwarden] GPU idle for 2 h\r\n[31mstop soon\r\n');
    expect(await readFile(join(root, 'dev/tty2'), 'utf8')).toBe(text);
    expect(await readFile(join(root, 'dev/pts/7'), 'utf8')).toBe('');
  });

  it('fails plainly when the person has no terminal', async () => {
    expect(await warnUser(roots, 'carol', 4242, 'hi')).toEqual({ outcome: 'failed', detail: 'no terminal of carol found' });
  });

  it('bounds the message to 4,000 bytes without splitting a character', () => {
    const long = cleanMessage('é'.repeat(5000));
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(MAX_WARN_BYTES);
    expect(Buffer.byteLength(long)).toBeGreaterThan(MAX_WARN_BYTES - 10);
    expect(long).not.toContain('\ufffd');
    expect(cleanMessage('a\u009bb\tc\nd')).toBe('abc\nd');
  });
});
