import { describe, expect, it } from 'vitest';
import type { NotEnforcedKey } from './enforced-keys.ts';
import { groupBySetting, renderSettingPlaces } from './setting-places.ts';

const key = (keyPath: string, setting: string, line: number, file = 'limits.yaml'): NotEnforcedKey => ({ keyPath, setting, line, file, reason: 'not-enforced' });

describe('groupBySetting', () => {
  it('one entry per setting, in file order, with the block each place sets it in', () => {
    const groups = groupBySetting([
      key('defaults.max_cpus', 'max_cpus', 5),
      key('groups.student.aggregate.cpu_quota', 'aggregate.cpu_quota', 9),
      key('groups.admin.max_cpus', 'max_cpus', 12),
      key('container_types.api.sigterm_grace_s', 'container_types.*.sigterm_grace_s', 20),
      key('policies.sigterm_grace_s', 'policies.sigterm_grace_s', 30),
      key('user_overrides.alice.max_cpus', 'max_cpus', 2, 'user-overrides.yaml'),
    ]);
    expect(groups).toEqual([
      { setting: 'max_cpus', places: [{ block: 'defaults', file: 'limits.yaml', line: 5 }, { block: 'groups.admin', file: 'limits.yaml', line: 12 }, { block: 'user_overrides.alice', file: 'user-overrides.yaml', line: 2 }] },
      { setting: 'aggregate.cpu_quota', places: [{ block: 'groups.student', file: 'limits.yaml', line: 9 }] },
      { setting: 'container_types.*.sigterm_grace_s', places: [{ block: 'container_types.api', file: 'limits.yaml', line: 20 }] },
      { setting: 'policies.sigterm_grace_s', places: [{ block: 'top level', file: 'limits.yaml', line: 30 }] },
    ]);
  });
});

describe('renderSettingPlaces', () => {
  it('aligns the settings and names a place\'s file only when it is not the main file', () => {
    const lines = renderSettingPlaces(groupBySetting([key('defaults.max_cpus', 'max_cpus', 5), key('user_overrides.alice.max_cpus', 'max_cpus', 2, 'user-overrides.yaml'), key('defaults.memory', 'memory', 6)]), 'limits.yaml');
    expect(lines).toEqual(['  max_cpus    defaults (5), user_overrides.alice (user-overrides.yaml:2)', '  memory      defaults (6)']);
  });
});
