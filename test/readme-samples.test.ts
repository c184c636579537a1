// The README's sample output is what the tool prints: every ```sh block holding one `npx gpuwarden ...` command that
// is followed by a plain ``` block is run (in-process, through the CLI's main) and its stdout compared with that
// block. A block ending in a line "…" shows the start of the output only.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';

interface Sample {
  argv: string[];
  expected: string;
  truncated: boolean;
}

/** The (command, output) pairs of a Markdown text. */
function samples(markdown: string): Sample[] {
  const pairs = [...markdown.matchAll(/```sh\n(npx gpuwarden [^\n]*)\n```\n\n```\n([\s\S]*?)```\n/g)];
  return pairs.map((m) => {
    const lines = (m[2] ?? '').split('\n').slice(0, -1);
    const truncated = lines.at(-1) === '…';
    return { argv: (m[1] ?? '').split(/\s+/).slice(2), expected: `${(truncated ? lines.slice(0, -1) : lines).join('\n')}\n`, truncated };
  });
}

describe('README sample output', () => {
  const found = samples(readFileSync('README.md', 'utf8'));

  it('has samples to check (the probe view and the rules test)', () => {
    expect(found.map((s) => s.argv.slice(0, 2).join(' '))).toEqual(expect.arrayContaining(['probe --once', 'rules test']));
  });

  for (const sample of found) {
    it(`gpuwarden ${sample.argv.join(' ')}`, async () => {
      let out = '';
      const code = await main(sample.argv, { stdout: (t) => (out += t), stderr: () => {}, env: {} });
      expect(code).toBe(0);
      if (sample.truncated) expect(out.startsWith(sample.expected) ? sample.expected : out).toBe(sample.expected);
      else expect(out).toBe(sample.expected);
    });
  }
});
