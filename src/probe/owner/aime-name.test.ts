import { describe, expect, it } from 'vitest';
import { aimeUidOfName } from './aime-name.ts';

describe('aimeUidOfName', () => {
  it('reads the trailing uid of <name>._.<uid>', () => {
    expect(aimeUidOfName('pytorch._.1001')).toBe(1001);
    expect(aimeUidOfName('my.model._.0')).toBe(0);
    expect(aimeUidOfName('a._.b._.1500001')).toBe(1500001);
  });

  it('rejects other shapes and out-of-range uids', () => {
    for (const name of ['pytorch_1001', 'pytorch._.', 'pytorch._.-1', 'pytorch._.1001x', 'x._.12345678901', 'x._.4294967295', '', null, 7]) {
      expect(aimeUidOfName(name), String(name)).toBeNull();
    }
    expect(aimeUidOfName('x._.4294967294')).toBe(4294967294);
  });
});
