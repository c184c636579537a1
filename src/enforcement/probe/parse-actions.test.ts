import { describe, expect, it } from 'vitest';
import { parseActions } from './parse-actions.ts';
import { containerAction } from './test-support.ts';

describe('parseActions', () => {
  it('keeps valid actions and reports each invalid one with its id and issues', () => {
    const good = containerAction();
    const r = parseActions([good, { ...good, id: 'b1', type: 'reboot' }, 'junk', { id: 7 }]);
    expect(r.actions).toEqual([good]);
    expect(r.invalid.map((i) => i.id)).toEqual(['b1', null, null]);
    expect(r.invalid[0]?.message).toMatch(/^actions\[1\]: type: /);
    expect(r.invalid[1]?.message).toMatch(/^actions\[2\]: \(element\): /);
  });
});
