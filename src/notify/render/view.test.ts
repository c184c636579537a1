import { describe, expect, it } from 'vitest';
import { goldenSamples, idleAlert, sampleAlert } from '../test-support.ts';
import type { MessageGroup } from '../types.ts';
import { buildView, groupLabelsText, slackMention, targetFields } from './view.ts';

const user = (alerts: MessageGroup['alerts'], extra: Partial<MessageGroup> = {}): MessageGroup => ({
  receiver: 'owner',
  audience: 'user',
  user: 'h.baker@hertie-school.lan',
  groupKey: 'k',
  groupLabels: {},
  alerts,
  ...extra,
});

describe('user view', () => {
  it('greets by name, says what happened, where, and how to fix it', () => {
    const view = buildView(user([{ alert: idleAlert('base'), reason: 'firing' }]));
    expect(view.greeting).toBe('Hello h.baker,');
    expect(view.word).toBe('WARNING');
    expect(view.headline).toBe('WARNING: Container train of h.baker@hertie-school.lan has left its GPU idle for 48 min of its 1 h idle limit');
    const [item] = view.items;
    expect(item?.description).toContain('an administrator may then stop the container');
    expect(item?.fields.map((f) => f.label)).toEqual(['Container', 'Server', 'Since']);
    expect(view.footer.join(' ')).toMatch(/You get this message because .* Ask the server's administrators\./);
  });

  it('LIMIT REACHED at the limit stage, resolved lines last, the worst word in the headline', () => {
    const view = buildView(
      user([
        { alert: idleAlert('final', { state: 'resolved', resolvedAt: '2026-11-25T17:00:00Z' }), reason: 'resolved' },
        { alert: sampleAlert({ rule: 'gpu-quota', severity: 'info' }), reason: 'firing' },
        { alert: idleAlert('limit'), reason: 'escalated' },
      ]),
    );
    expect(view.items.map((i) => i.word)).toEqual(['LIMIT REACHED', 'NOTICE', 'RESOLVED']);
    expect(view.headline).toBe('LIMIT REACHED: 3 alerts for h.baker@hertie-school.lan on ds01');
    expect(view.intro).toBe('There are 2 alerts about your work on the GPU server ds01. 1 earlier alert is resolved: nothing to do there.');
    expect(view.items[0]?.fields).toContainEqual({ label: 'Status', value: 'escalated' });
    expect(view.items[2]?.description).toBeNull();
  });

  it('no user message claims a stop or removal, at any stage', () => {
    for (const stage of ['base', 'final', 'limit'] as const) {
      const view = buildView(user([{ alert: idleAlert(stage), reason: 'escalated' }]));
      const text = [view.headline, view.intro, ...view.items.flatMap((i) => [i.word, i.title, i.summary, i.description ?? '']), ...view.footer].join('\n');
      expect(text).not.toMatch(/\bstopped\b|STOPPED|\bremoved\b|keep-alive/);
    }
    expect(buildView(user([{ alert: idleAlert('limit'), reason: 'escalated' }])).headline).toMatch(/^LIMIT REACHED: .* has reached its idle limit/);
  });

  it('a pending alert (only rules test --render shows one) is counted and labelled as pending, not as firing', () => {
    const pending = idleAlert('base', { state: 'pending', firedAt: null });
    const view = buildView(user([{ alert: pending, reason: 'firing' }]));
    expect(view.intro).toBe('1 alert is pending: not confirmed yet.');
    expect(view.items[0]?.fields).toContainEqual({ label: 'Status', value: 'pending: not confirmed yet' });
    const admin = buildView(user([{ alert: pending, reason: 'firing' }], { audience: 'admin', user: null }));
    expect(admin.headline).toBe('WARNING: 1 pending on ds01');
    expect(admin.items[0]?.fields).toContainEqual({ label: 'State', value: 'pending' });
  });

  it('a stale alert says when it was last checked and what could not be read; a reminder does not claim it is still active', () => {
    const alert = idleAlert('base', { stale: { since: '2026-11-25T17:05:31.000Z', sources: ['docker', 'gpu'] } });
    const view = buildView(user([{ alert, reason: 'repeat' }]));
    expect(view.items[0]?.fields).toContainEqual({ label: 'Stale', value: 'not re-checked since 2026-11-25 17:05 UTC: docker and gpu unreadable' });
    expect(view.items[0]?.fields).toContainEqual({ label: 'Status', value: 'reminder' });
    const fresh = buildView(user([{ alert: idleAlert('base'), reason: 'repeat' }]));
    expect(fresh.items[0]?.fields.map((f) => f.label)).not.toContain('Stale');
  });

  it('an alert that ended because a source stayed unreadable is not called resolved', () => {
    const alert = idleAlert('final', { state: 'resolved', resolvedAt: '2026-11-25T17:35:31.000Z', resolvedReason: 'source-unavailable', stale: { since: '2026-11-25T17:05:31.000Z', sources: ['docker'] } });
    const view = buildView(user([{ alert, reason: 'resolved' }]));
    expect(view.word).toBe('NO LONGER TRACKED');
    expect(view.intro).toBe('1 earlier alert is no longer tracked: gpuwarden cannot tell whether it still applies.');
    expect(view.intro).not.toMatch(/resolved|nothing to do/);
    expect(view.items[0]?.description).toMatch(/^No longer tracked: gpuwarden has not been able to read docker on ds01 since 2026-11-25 17:05 UTC/);
    const cleared = buildView(user([{ alert: { ...alert, resolvedReason: 'cleared' }, reason: 'resolved' }]));
    expect(cleared.word).toBe('RESOLVED');
    expect(cleared.intro).toBe('1 earlier alert is resolved: nothing to do there.');
  });

  it('names the contact when given', () => {
    const view = buildView(user([{ alert: idleAlert('base'), reason: 'repeat' }]), { contact: 'ds01-admin@example.org' });
    expect(view.footer[1]).toBe('Questions, or think this is wrong? Ask ds01-admin@example.org.');
    expect(view.items[0]?.fields).toContainEqual({ label: 'Status', value: 'reminder: still active' });
  });

  it('links the person to their own page of the web view when the service has a public URL, and says how to sign in', () => {
    const view = buildView(user([{ alert: idleAlert('base'), reason: 'firing' }]), { webUrl: 'https://gpu.example.org' });
    expect(view.footer[2]).toBe('Your containers, alerts and GPU usage: https://gpu.example.org/ui/users/h.baker%40hertie-school.lan (sign in with the link your administrators sent you).');
    expect(buildView(user([{ alert: idleAlert('base'), reason: 'firing' }])).footer).toHaveLength(2);
    expect(buildView(user([{ alert: idleAlert('base'), reason: 'firing' }], { user: null }), { webUrl: 'https://gpu.example.org' }).footer).toHaveLength(2);
  });

  it('keeps user-controlled line breaks out of headlines and fields', () => {
    const alert = sampleAlert({ rule: 'r', labels: { host: 'ds01', containerName: 'evil\r\nBcc: x@y', container: 'abc' }, annotations: { summary: 'line1\nline2', description: '' } });
    const view = buildView(user([{ alert, reason: 'firing' }]));
    expect(view.headline).toBe('WARNING: line1 line2');
    expect(view.items[0]?.fields[0]).toEqual({ label: 'Container', value: 'evil Bcc: x@y (abc)' });
  });
});

describe('admin view', () => {
  it('counts firing and resolved, lists group labels and operator fields', () => {
    const { group } = goldenSamples()['admin-group'];
    const view = buildView(group);
    expect(view.headline).toBe('ALERT: 3 firing, 1 resolved on ds01');
    expect(buildView({ ...group, alerts: group.alerts.slice(3) }).headline).toBe('RESOLVED: 1 resolved on ds01');
    expect(view.intro).toBe('4 alerts in this group: 3 firing, 1 resolved. Group: host=ds01.');
    expect(view.items[0]?.fields.map((f) => f.label)).toEqual(['Rule', 'Severity', 'State', 'Host', 'User', 'Container', 'Since']);
    expect(view.footer).toEqual(['gpuwarden · receiver admins · ds01', 'Alerts: https://gpuwarden.example.org/v1/alerts?state=firing']);
  });

  it('links admins to the web view\'s alerts page when the service has a public URL', () => {
    const { group } = goldenSamples()['admin-group'];
    const view = buildView({ ...group, serviceUrl: undefined }, { webUrl: 'https://gpu.example.org' });
    expect(view.footer).toEqual(['gpuwarden · receiver admins · ds01', 'Alerts: https://gpu.example.org/ui/alerts']);
  });

  it('a source-unavailable ending reads NO LONGER TRACKED with the source and time, never "resolved"', () => {
    const view = buildView(goldenSamples()['admin-source-unavailable'].group);
    expect(view.headline).toBe('NO LONGER TRACKED: 1 no longer tracked on ds01');
    expect(view.items[0]?.fields).toContainEqual({ label: 'State', value: 'no longer tracked (source unavailable)' });
    expect(view.items[0]?.description).toBe('No longer tracked: docker has been unreadable since 2026-11-25 17:05 UTC; gpuwarden cannot tell whether this is still the case.');
  });

  it('stale firing alerts carry a Stale field', () => {
    const view = buildView(goldenSamples()['admin-stale'].group);
    expect(view.items.map((i) => i.fields.find((f) => f.label === 'Stale')?.value)).toEqual([
      'not re-checked since 2026-11-25 17:05 UTC: docker unreadable',
      'not re-checked since 2026-11-25 17:06 UTC: docker and proc unreadable',
    ]);
  });

  it('puts the rule of an alertname grouping in the headline', () => {
    const view = buildView({ ...goldenSamples()['admin-group'].group, groupLabels: { host: 'ds01', rule: 'gpu-temperature', zone: 'a' } });
    expect(view.headline).toBe('ALERT: 3 firing, 1 resolved — gpu-temperature zone=a on ds01');
  });
});

describe('helpers', () => {
  it('slackMention accepts member ids only', () => {
    expect(slackMention('U024BE7LH')).toBe('<@U024BE7LH>');
    expect(slackMention('@W024BE7LH')).toBe('<@W024BE7LH>');
    expect(slackMention('<@U024BE7LH>')).toBe('<@U024BE7LH>');
    for (const m of [null, undefined, '', 'h.baker', '<!channel>', 'U1> <!here']) expect(slackMention(m)).toBeNull();
  });

  it('targetFields names container, GPU and process from whichever labels exist', () => {
    expect(targetFields(sampleAlert({ rule: 'r', labels: { container: 'a'.repeat(64) } }))).toEqual([{ label: 'Container', value: 'a'.repeat(12) }]);
    expect(targetFields(sampleAlert({ rule: 'r', labels: { gpuIndex: '2' } }))).toEqual([{ label: 'GPU', value: 'GPU 2' }]);
    expect(targetFields(sampleAlert({ rule: 'r', labels: { gpu: 'MIG-1', pid: '7' } }))).toEqual([
      { label: 'GPU', value: 'MIG-1' },
      { label: 'Process', value: 'pid 7' },
    ]);
    expect(targetFields(sampleAlert({ rule: 'r', labels: { host: 'x' } }))).toEqual([]);
  });

  it('groupLabelsText sorts by name', () => {
    expect(groupLabelsText({ rule: 'r', host: 'h' })).toBe('host=h, rule=r');
  });
});
