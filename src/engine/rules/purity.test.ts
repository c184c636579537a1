import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The rules engine runs inside Cloudflare workerd: only the folder reader may touch Node.
const DIR = new URL('./', import.meta.url);
const IO_FILES = ['load-dir.ts'];

const sources = readdirSync(DIR)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => ({ name: f, text: readFileSync(new URL(f, DIR), 'utf8') }));

describe('src/engine/rules purity', () => {
  it('has sources to check', () => {
    expect(sources.map((s) => s.name)).toEqual(expect.arrayContaining(['compile.ts', 'evaluate.ts', 'load.ts', 'load-dir.ts']));
  });

  it.each(sources.filter((s) => !IO_FILES.includes(s.name)).map((s) => [s.name, s.text]))('%s imports no node: module, fs or process', (_name, text) => {
    expect(text).not.toMatch(/from ['"](node:|fs|path|os|child_process)/);
    expect(text).not.toMatch(/\bimport\(['"]node:/);
    expect(text).not.toMatch(/\bprocess\./);
    expect(text).not.toMatch(/\bDate\.now\(|new Date\(/);
  });

  it('every export has a one-line doc comment', () => {
    for (const { name, text } of sources) {
      const lines = text.split('\n');
      lines.forEach((line, i) => {
        if (!/^export (const|function|async function|class|interface|type) /.test(line)) return;
        const above = lines.slice(Math.max(0, i - 12), i).join('\n');
        expect(/\*\/\s*$/.test(above), `${name}:${i + 1} ${line}`).toBe(true);
      });
    }
  });
});
