import { describe, expect, it } from 'vitest';
import { escapingLog, logText } from './log-text.ts';

describe('logText', () => {
  it('leaves ordinary text (unicode included) alone', () => {
    expect(logText('ds01@2026-11-25T17:17:49.467Z h.baker é 日本')).toBe('ds01@2026-11-25T17:17:49.467Z h.baker é 日本');
  });

  it('shows line breaks and tabs as escapes', () => {
    expect(logText('a\nb\r\nc\td')).toBe('a\\nb\\r\\nc\\td');
  });

  it('shows every other C0, DEL and C1 control as \\xNN and the Unicode separators as \\uNNNN', () => {
    expect(logText('\u0000\u0001\u001b[31m\u007f\u0085\u009f')).toBe('\\x00\\x01\\x1b[31m\\x7f\\x85\\x9f');
    expect(logText('a\u2028b\u2029c')).toBe('a\\u2028b\\u2029c');
  });

  it('leaves no control character in any input, and is idempotent', () => {
    let all = '';
    for (let c = 0; c < 0x100; c++) all += String.fromCharCode(c);
    const once = logText(`${all}\u2028\u2029`);
    expect(once).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(logText(once)).toBe(once);
  });

  it('escapingLog escapes each line before the sink sees it', () => {
    const lines: string[] = [];
    escapingLog((l) => lines.push(l))('x\ngpuwarden: forged');
    expect(lines).toEqual(['x\\ngpuwarden: forged']);
  });
});
