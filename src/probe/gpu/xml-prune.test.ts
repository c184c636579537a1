import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNvidiaSmiXml, parseNvidiaSmiXmlUnpruned } from './parse-xml.ts';
import { pruneUnreadSubtrees, UNREAD_ELEMENTS } from './xml-prune.ts';

const DIR = new URL('../../../test/fixtures/nvidia-smi/xml/', import.meta.url);
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.xml'));
// The shared real-data set, when it sits beside the repository (real-fixtures.test.ts says when CI needs it).
const REAL = new URL('../../../../shared/fixtures/real/nvidia-smi-xml/', import.meta.url);
const REAL_FILES = existsSync(REAL) ? readdirSync(REAL).filter((f) => f.endsWith('.xml')) : [];

describe('pruneUnreadSubtrees', () => {
  it('cuts complete elements, self-closed ones included, and keeps the rest byte for byte', () => {
    const xml = '<a><keep>1</keep><clocks><x>2</x></clocks><voltage /><keep>3</keep><clocks>4</clocks></a>';
    expect(pruneUnreadSubtrees(xml)).toBe('<a><keep>1</keep><keep>3</keep></a>');
  });

  it('leaves an element without its closing tag for the parser to judge', () => {
    expect(pruneUnreadSubtrees('<a><clocks><x>')).toBe('<a><clocks><x>');
  });

  it('does not confuse element names that share a prefix', () => {
    expect(pruneUnreadSubtrees('<clocks_foo>1</clocks_foo><clocks>2</clocks>')).toBe('<clocks_foo>1</clocks_foo>');
  });

  it.each(FILES)('%s: pruned text leaves none of the unread elements and the same parse result', (file) => {
    const xml = readFileSync(new URL(file, DIR), 'utf8');
    const pruned = pruneUnreadSubtrees(xml);
    for (const name of UNREAD_ELEMENTS) expect(pruned.includes(`<${name}>`), name).toBe(false);
    expect(pruned.length).toBeLessThan(xml.length);
    // Parsing goes through the pruning; the fields the probe reads must be what a full parse finds.
    const result = parseNvidiaSmiXml(xml);
    expect(result.ok).toBe(true);
    expect(result).toEqual(parseNvidiaSmiXmlUnpruned(xml));
  });

  it.each(REAL_FILES)('shared real %s: the cut changes nothing the probe reads', (file) => {
    const xml = readFileSync(new URL(file, REAL), 'utf8');
    expect(parseNvidiaSmiXml(xml)).toEqual(parseNvidiaSmiXmlUnpruned(xml));
  });

  it('a name the reader needs, if added to the cut, would change the result (the comparison can fail)', () => {
    const xml = readFileSync(new URL(FILES[0] ?? '', DIR), 'utf8');
    const cut = xml.replace(/<product_name>[^<]*<\/product_name>/g, '');
    expect(parseNvidiaSmiXmlUnpruned(cut)).not.toEqual(parseNvidiaSmiXmlUnpruned(xml));
  });
});
