import { describe, expect, it } from 'vitest';
import { arrayAt, childAt, decodeXmlEntities, isXmlRecord, textAt } from './xml-node.ts';

const tree = {
  gpu: {
    '@_id': '00000000:01:00.0',
    uuid: '  GPU-1  ',
    fb_memory_usage: { total: '4096 MiB' },
    mixed: { '#text': ' text &amp; more ', child: 'x' },
    number: 5,
    processes: { process_info: [{ pid: '1' }, { pid: '2' }] },
    single: { item: { a: '1' } },
    empty: '',
  },
};

describe('isXmlRecord', () => {
  it('accepts plain objects only', () => {
    expect(isXmlRecord({})).toBe(true);
    expect(isXmlRecord([])).toBe(false);
    expect(isXmlRecord(null)).toBe(false);
    expect(isXmlRecord('x')).toBe(false);
  });
});

describe('childAt / textAt', () => {
  it('follows paths and stops at missing or non-element steps', () => {
    expect(childAt(tree, 'gpu', 'fb_memory_usage', 'total')).toBe('4096 MiB');
    expect(childAt(tree, 'gpu', 'nope', 'total')).toBeUndefined();
    expect(childAt(tree, 'gpu', 'uuid', 'deeper')).toBeUndefined();
    expect(childAt('not a node', 'gpu')).toBeUndefined();
  });

  it('returns trimmed, decoded text; #text of mixed elements; null for elements', () => {
    expect(textAt(tree, 'gpu', 'uuid')).toBe('GPU-1');
    expect(textAt(tree, 'gpu', '@_id')).toBe('00000000:01:00.0');
    expect(textAt(tree, 'gpu', 'mixed')).toBe('text & more');
    expect(textAt(tree, 'gpu', 'number')).toBe('5');
    expect(textAt(tree, 'gpu', 'empty')).toBe('');
    expect(textAt(tree, 'gpu', 'fb_memory_usage')).toBeNull();
    expect(textAt(tree, 'gpu', 'missing')).toBeNull();
  });
});

describe('arrayAt', () => {
  it('normalises one, many and none to an array', () => {
    expect(arrayAt(tree, 'gpu', 'processes', 'process_info')).toHaveLength(2);
    expect(arrayAt(tree, 'gpu', 'single', 'item')).toEqual([{ a: '1' }]);
    expect(arrayAt(tree, 'gpu', 'missing')).toEqual([]);
    expect(arrayAt({ a: null }, 'a')).toEqual([]);
  });
});

describe('decodeXmlEntities', () => {
  it('decodes the five predefined entities and numeric references in one pass', () => {
    expect(decodeXmlEntities('&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos;')).toBe('<a> & "b" \'c\'');
    expect(decodeXmlEntities('&#65;&#x42;&#x1F600;')).toBe('AB\u{1F600}');
    expect(decodeXmlEntities('&amp;lt;')).toBe('&lt;');
  });

  it('leaves custom, invalid and out-of-range references alone instead of throwing', () => {
    expect(decodeXmlEntities('&boom;')).toBe('&boom;');
    expect(decodeXmlEntities('&#0;&#xD800;&#1114112;')).toBe('&#0;&#xD800;&#1114112;');
    expect(decodeXmlEntities('&#9999999;')).toBe('&#9999999;');
    expect(decodeXmlEntities('no entities')).toBe('no entities');
  });
});
