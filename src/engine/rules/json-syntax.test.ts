import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findJsonSyntaxError, lineColumnAt, parseJson } from './json-syntax.ts';

describe('parseJson', () => {
  it('parses valid JSON and ignores a byte-order mark', () => {
    expect(parseJson('{"a": [1, true, null, "x"]}')).toEqual({ ok: true, value: { a: [1, true, null, 'x'] } });
    expect(parseJson('\uFEFF{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
  });

  it.each([
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, `unexpected character '"': expected "," or "}" after a property value`],
    ['{"a": 1,}', 1, 9, 'trailing comma before "}"'],
    ['[1, 2,]', 1, 7, 'trailing comma before "]"'],
    ['[1 2]', 1, 4, `unexpected character '2': expected "," or "]" after an array element`],
    ['{a: 1}', 1, 2, `unexpected character 'a': expected a property name in double quotes`],
    ['{"a" 1}', 1, 6, `unexpected character '1': expected ":" after the property name`],
    ['{"a": tru}', 1, 7, `unexpected character 't': expected a JSON value`],
    ['{"a": "x', 1, 7, 'unterminated string'],
    ['{"a": "x\ny"}', 1, 9, 'unescaped control character (a line break?) in string'],
    ['{"a": "\\q"}', 1, 8, 'invalid escape "\\q" in string'],
    ['{"a": 01}', 1, 8, 'invalid number'],
    ['{"a": -}', 1, 7, 'invalid number'],
    ['{"a": 1.}', 1, 8, 'invalid number'],
    ['{"a": 1} x', 1, 10, `unexpected character 'x' after the JSON value`],
    ['', 1, 1, 'unexpected end of input: expected a JSON value'],
    ['{"a": [1, 2', 1, 12, 'unexpected end of input: expected "," or "]" after an array element'],
    ['{"a":\t\u0001}', 1, 7, 'unexpected character "\\u0001": expected a JSON value'],
  ])('locates the error in %j', (text, line, column, message) => {
    expect(parseJson(text)).toEqual({ ok: false, problem: { line, column, message } });
  });

  it('falls back to the engine message for input nested too deeply to scan', () => {
    const deep = `${'['.repeat(200_000)}x`;
    const r = parseJson(deep);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem.message.length).toBeGreaterThan(0);
  });
});

describe('findJsonSyntaxError', () => {
  it('agrees with JSON.parse on whether a text is valid', () => {
    const texts = fc.oneof(
      fc.json(),
      fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1))),
      fc.tuple(fc.json(), fc.nat(), fc.constantFrom(',', '}', ']', '"', ':', 'x', ' ', '\n')).map(([j, i, c]) => {
        const at = j.length === 0 ? 0 : i % j.length;
        return j.slice(0, at) + c + j.slice(at);
      }),
    );
    fc.assert(
      fc.property(texts, (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(findJsonSyntaxError(text) === null).toBe(valid);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('lineColumnAt', () => {
  it('counts lines and columns from 1', () => {
    expect(lineColumnAt('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumnAt('ab\n', 3)).toEqual({ line: 2, column: 1 });
  });
});
