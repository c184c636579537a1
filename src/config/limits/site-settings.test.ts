import { describe, expect, it } from 'vitest';
import { DEFAULT_INFRASTRUCTURE_LABEL, siteSettings } from './site-settings.ts';
import { ds01Sources, inline, parseOk } from './test-support.ts';

describe('siteSettings', () => {
  it('reads DS01\'s monitoring, bare-metal and access-control sections', () => {
    expect(siteSettings(parseOk(ds01Sources()))).toEqual({
      infrastructureContainers: ['ds01-prometheus', 'ds01-grafana', 'ds01-alertmanager', 'ds01-dcgm-exporter', 'ds01-node-exporter'],
      infrastructureLabel: 'ds01.protected',
      bareMetalExemptUsers: ['datasciencelab'],
      adminUsers: ['datasciencelab'],
      adminGroup: 'ds01-admin',
      defaultGroup: 'student',
    });
  });

  it('empty lists and DS01\'s label where the file says nothing', () => {
    expect(siteSettings(parseOk(inline('groups:\n  student: {}\n')))).toEqual({
      infrastructureContainers: [],
      infrastructureLabel: DEFAULT_INFRASTRUCTURE_LABEL,
      bareMetalExemptUsers: [],
      adminUsers: [],
      adminGroup: null,
      defaultGroup: 'student',
    });
  });

  it('takes the admin group from bare_metal_access when access_control has none', () => {
    const c = parseOk(inline('bare_metal_access:\n  admin_group: gpu-admins\nmonitoring:\n  infrastructure_label: site.infra\ndefault_group: phd\ngroups:\n  phd: {}\n'));
    expect(siteSettings(c)).toMatchObject({ adminGroup: 'gpu-admins', infrastructureLabel: 'site.infra', defaultGroup: 'phd' });
  });
});
