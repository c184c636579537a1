import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { lineOf, reservedKeys } from './yaml-locate.ts';

function parse(text: string): { doc: ReturnType<typeof parseDocument>; lc: LineCounter } {
  const lc = new LineCounter();
  return { doc: parseDocument(text, { lineCounter: lc }), lc };
}

const TEXT = [
  '# comment', //                      1
  'listen:', //                        2
  '  host: 127.0.0.1', //              3
  '  port: 8787', //                   4
  'hosts:', //                         5
  '  ds01:', //                        6
  '    token_sha256: abc', //          7
  'admins:', //                        8
  '  - name: alice', //                9
  '    token_file: a.token', //       10
  '  -', //                           11
  '    name: bob', //                 12
  'inline: {a: 1, b: 2}', //          13
].join('\n');

describe('lineOf', () => {
  const { doc, lc } = parse(TEXT);

  it('finds the key line of nested map entries', () => {
    expect(lineOf(doc, lc, ['listen'])).toBe(2);
    expect(lineOf(doc, lc, ['listen', 'port'])).toBe(4);
    expect(lineOf(doc, lc, ['hosts', 'ds01', 'token_sha256'])).toBe(7);
  });

  it('finds list items and keys inside them', () => {
    expect(lineOf(doc, lc, ['admins', 0])).toBe(9);
    expect(lineOf(doc, lc, ['admins', 0, 'token_file'])).toBe(10);
    expect(lineOf(doc, lc, ['admins', 1])).toBe(12);
    expect(lineOf(doc, lc, ['admins', 1, 'name'])).toBe(12);
  });

  it('finds keys of flow mappings', () => {
    expect(lineOf(doc, lc, ['inline', 'b'])).toBe(13);
  });

  it('falls back to the deepest part of the path that exists', () => {
    expect(lineOf(doc, lc, ['hosts', 'ds01', 'missing'])).toBe(6);
    expect(lineOf(doc, lc, ['admins', 5, 'name'])).toBe(8);
    expect(lineOf(doc, lc, ['listen', 'port', 'deeper'])).toBe(4);
    expect(lineOf(doc, lc, ['nothing'])).toBe(2);
  });

  it('locates a key by name inside the map at a path', () => {
    expect(lineOf(doc, lc, ['hosts', 'ds01'], 'token_sha256')).toBe(7);
    expect(lineOf(doc, lc, [], 'admins')).toBe(8);
  });

  it('is null for an empty document', () => {
    const empty = parse('');
    expect(lineOf(empty.doc, empty.lc, ['listen'])).toBeNull();
  });
});

describe('reservedKeys', () => {
  it('reports __proto__ keys anywhere, with their line', () => {
    const { doc, lc } = parse(['hosts:', '  __proto__:', '    x: 1', 'admins:', '  - name: a', '    __proto__: {}'].join('\n'));
    expect(reservedKeys(doc, lc)).toEqual([
      { path: ['hosts', '__proto__'], line: 2 },
      { path: ['admins', '0', '__proto__'], line: 6 },
    ]);
  });

  it('finds nothing in an ordinary file', () => {
    const { doc, lc } = parse(TEXT);
    expect(reservedKeys(doc, lc)).toEqual([]);
  });
});
