import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSmallFile, SMALL_FILE_CHUNK_BYTES } from './read-small-file.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gw-small-file-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('readSmallFile', () => {
  it('reads small, empty and chunk-sized files whole in both modes', () => {
    const files = { small: 'python3\n', empty: '', exact: 'x'.repeat(SMALL_FILE_CHUNK_BYTES) };
    for (const [name, text] of Object.entries(files)) {
      writeFileSync(join(dir, name), text);
      expect(readSmallFile(join(dir, name))).toEqual({ text });
      expect(readSmallFile(join(dir, name), true)).toEqual({ text });
    }
  });

  it('reads a file larger than the shared buffer whole, a UTF-8 character split across the boundary intact', () => {
    const text = `${'a'.repeat(SMALL_FILE_CHUNK_BYTES - 1)}é${'b'.repeat(SMALL_FILE_CHUNK_BYTES * 2)}ü`;
    writeFileSync(join(dir, 'big'), text);
    expect(readSmallFile(join(dir, 'big'))).toEqual({ text });
    // A first read that fills the buffer is never taken as the whole file.
    expect(readSmallFile(join(dir, 'big'), true)).toEqual({ text });
  });

  it('one read after another does not leak the previous file into the next', () => {
    writeFileSync(join(dir, 'long'), 'a much longer first file\n');
    writeFileSync(join(dir, 'short'), 'sh\n');
    expect(readSmallFile(join(dir, 'long'), true)).toEqual({ text: 'a much longer first file\n' });
    expect(readSmallFile(join(dir, 'short'), true)).toEqual({ text: 'sh\n' });
    expect(readSmallFile(join(dir, 'short'))).toEqual({ text: 'sh\n' });
  });

  it('gives the errno code instead of throwing', () => {
    mkdirSync(join(dir, 'sub'));
    expect(readSmallFile(join(dir, 'missing'))).toEqual({ code: 'ENOENT' });
    expect(readSmallFile(join(dir, 'sub'))).toEqual({ code: 'EISDIR' });
  });

  it('without oneRecord, keeps reading after a short read (a file delivered in parts, as multi-record pseudo-files are)', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn(process.execPath, ['-e', `const fs=require('fs');const fd=fs.openSync(${JSON.stringify(fifo)},'w');fs.writeSync(fd,'1\\n2\\n');setTimeout(()=>{fs.writeSync(fd,'3\\n');fs.closeSync(fd);},200);`]);
    const exited = new Promise((resolve) => writer.on('exit', resolve));
    expect(readSmallFile(fifo)).toEqual({ text: '1\n2\n3\n' });
    await exited;
  });
});
