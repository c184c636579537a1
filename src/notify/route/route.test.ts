import { describe, expect, it } from 'vitest';
import { routingFrom } from '../../config/routing/test-support.ts';
import type { RootRoute, RouteNode, RoutingConfig } from '../../config/routing/types.ts';
import { formatLabels, groupKey, groupLabels, repeatDelayS, routeAlert, routingLabels } from './route.ts';

const slack = (name: string) => `  - name: ${name}\n    slack: {webhook_url: https://hooks.slack.com/services/T0/B0/${name.toUpperCase()}}\n`;
const receivers = (...names: string[]) => `receivers:\n${names.map(slack).join('')}`;

/** Route tree as YAML under `route:`, with a Slack receiver for each name used. */
function config(route: string, names: string[]): Promise<RoutingConfig> {
  return routingFrom(`route:\n${route}\n${receivers(...names)}`);
}

const receiversOf = (c: RoutingConfig, labels: Record<string, string>) => routeAlert(c, labels).map((m) => m.receiver);

describe('routeAlert: which routes an alert takes', () => {
  it('the root takes what no child matches, with the defaults for what it leaves out', async () => {
    const c = await config('  receiver: ops\n  routes:\n    - matchers: [severity=critical]\n      receiver: pager', ['ops', 'pager']);
    expect(routeAlert(c, { alertname: 'gpu-waste', severity: 'warning' })).toEqual([
      {
        id: '{}',
        path: [],
        receiver: 'ops',
        matchers: [],
        groupBy: ['alertname'],
        groupWaitS: 30,
        groupIntervalS: 300,
        repeatIntervalS: 14_400,
        repeatBackoff: null,
        sendResolved: true,
      },
    ]);
  });

  it('the first matching child wins; later matching siblings are not tried', async () => {
    const c = await config(
      [
        '  receiver: ops',
        '  routes:',
        '    - matchers: [severity=critical]',
        '      receiver: pager',
        '    - matchers: [severity=critical]',
        '      receiver: mail',
        '    - matchers: [host=ds01]',
        '      receiver: ds01',
      ].join('\n'),
      ['ops', 'pager', 'mail', 'ds01'],
    );
    expect(receiversOf(c, { alertname: 'x', severity: 'critical', host: 'ds01' })).toEqual(['pager']);
    expect(receiversOf(c, { alertname: 'x', severity: 'warning', host: 'ds01' })).toEqual(['ds01']);
    expect(routeAlert(c, { alertname: 'x', severity: 'warning', host: 'ds01' })[0]?.path).toEqual([2]);
  });

  it('continue: true lets the next matching siblings take the alert too, and stops at the first without it', async () => {
    const c = await config(
      [
        '  receiver: ops',
        '  routes:',
        '    - matchers: [severity=critical]',
        '      receiver: pager',
        '      continue: true',
        '    - matchers: [host=ds02]',
        '      receiver: ds02',
        '      continue: true',
        '    - matchers: [severity=critical]',
        '      receiver: mail',
        '    - matchers: [severity=critical]',
        '      receiver: never',
      ].join('\n'),
      ['ops', 'pager', 'ds02', 'mail', 'never'],
    );
    expect(receiversOf(c, { alertname: 'x', severity: 'critical', host: 'ds01' })).toEqual(['pager', 'mail']);
    expect(receiversOf(c, { alertname: 'x', severity: 'critical', host: 'ds02' })).toEqual(['pager', 'ds02', 'mail']);
    expect(receiversOf(c, { alertname: 'x', severity: 'info', host: 'ds02' })).toEqual(['ds02']);
  });

  it('a route with continue that matches nothing below still delivers itself', async () => {
    const c = await config(
      ['  receiver: ops', '  routes:', '    - matchers: [severity=critical]', '      receiver: pager', '      continue: true'].join('\n'),
      ['ops', 'pager'],
    );
    expect(receiversOf(c, { alertname: 'x', severity: 'critical' })).toEqual(['pager']);
  });

  it('goes depth first: the deepest matching routes deliver, their parents do not', async () => {
    const c = await config(
      [
        '  receiver: ops',
        '  routes:',
        '    - matchers: [severity=critical]',
        '      receiver: pager',
        '      routes:',
        '        - matchers: [host=ds01]',
        '          receiver: ds01-pager',
        "        - matchers: ['host=~\"ds0[2-9]\"']",
        '          receiver: other-pager',
      ].join('\n'),
      ['ops', 'pager', 'ds01-pager', 'other-pager'],
    );
    expect(receiversOf(c, { alertname: 'x', severity: 'critical', host: 'ds01' })).toEqual(['ds01-pager']);
    expect(receiversOf(c, { alertname: 'x', severity: 'critical', host: 'ds07' })).toEqual(['other-pager']);
    expect(receiversOf(c, { alertname: 'x', severity: 'critical', host: 'ds10' })).toEqual(['pager']);
    expect(routeAlert(c, { alertname: 'x', severity: 'critical', host: 'ds07' })[0]).toMatchObject({
      id: '{}/{severity="critical"}/0/{host=~"ds0[2-9]"}/1',
      path: [0, 1],
      matchers: [
        { name: 'severity', op: '=', value: 'critical' },
        { name: 'host', op: '=~', value: 'ds0[2-9]' },
      ],
    });
  });

  it('every matcher of a route must match; regexes match the whole value; missing labels are ""', async () => {
    const c = await config(
      [
        '  receiver: ops',
        '  routes:',
        '    - matchers: [\'alertname=~"gpu-.*"\', \'host!~"test-.*"\']',
        '      receiver: gpu',
        '    - matchers: [\'user=""\']',
        '      receiver: nobody',
        '    - matchers: [\'alertname!=capacity-low\']',
        '      receiver: not-capacity',
      ].join('\n'),
      ['ops', 'gpu', 'nobody', 'not-capacity'],
    );
    expect(receiversOf(c, { alertname: 'gpu-waste', host: 'ds01', user: 'a' })).toEqual(['gpu']);
    expect(receiversOf(c, { alertname: 'gpu-waste', host: 'test-1', user: 'a' })).toEqual(['not-capacity']);
    expect(receiversOf(c, { alertname: 'my-gpu-waste', host: 'ds01', user: 'a' })).toEqual(['not-capacity']);
    expect(receiversOf(c, { alertname: 'capacity-low', host: 'ds01' })).toEqual(['nobody']);
    expect(receiversOf(c, { alertname: 'capacity-low', host: 'ds01', user: 'a' })).toEqual(['ops']);
  });

  it('children inherit every setting they leave out, from the nearest parent that sets it', async () => {
    const c = await config(
      [
        '  receiver: ops',
        '  group_by: [alertname, host]',
        '  group_wait: 1m',
        '  group_interval: 10m',
        '  repeat_interval: 3h',
        '  repeat_backoff: {factor: 2, max: 12h}',
        '  send_resolved: false',
        '  routes:',
        '    - matchers: [severity=critical]',
        '      group_wait: 0s',
        '      repeat_interval: 30m',
        '      routes:',
        '        - matchers: [host=ds01]',
        '          receiver: pager',
        '          group_by: [\'...\']',
        '          send_resolved: true',
        '          repeat_backoff: {factor: 1, max: 30m}',
      ].join('\n'),
      ['ops', 'pager'],
    );
    const [critical] = routeAlert(c, { alertname: 'x', severity: 'critical', host: 'ds02' });
    expect(critical).toMatchObject({
      receiver: 'ops',
      groupBy: ['alertname', 'host'],
      groupWaitS: 0,
      groupIntervalS: 600,
      repeatIntervalS: 1800,
      repeatBackoff: { factor: 2, maxS: 43_200 },
      sendResolved: false,
    });
    const [deep] = routeAlert(c, { alertname: 'x', severity: 'critical', host: 'ds01' });
    expect(deep).toMatchObject({
      receiver: 'pager',
      groupBy: ['...'],
      groupWaitS: 0,
      groupIntervalS: 600,
      repeatIntervalS: 1800,
      repeatBackoff: { factor: 1, maxS: 1800 },
      sendResolved: true,
    });
  });

  it('send_resolved_rules: the rule override beats the route setting, and merges down the tree', async () => {
    const c = await config(
      [
        '  receiver: ops',
        '  send_resolved: true',
        '  send_resolved_rules: {gpu-waste: false, capacity-low: false}',
        '  routes:',
        '    - matchers: [severity=info]',
        '      send_resolved: false',
        '      send_resolved_rules: {capacity-low: true}',
      ].join('\n'),
      ['ops'],
    );
    const resolved = (alertname: string, severity: string) => routeAlert(c, { alertname, severity })[0]?.sendResolved;
    expect(resolved('gpu-temperature', 'warning')).toBe(true);
    expect(resolved('gpu-waste', 'warning')).toBe(false);
    expect(resolved('capacity-low', 'warning')).toBe(false);
    expect(resolved('capacity-low', 'info')).toBe(true);
    expect(resolved('gpu-waste', 'info')).toBe(false);
    expect(resolved('gpu-temperature', 'info')).toBe(false);
  });

  it('works on a tree built in code (no loader), and never returns nothing', () => {
    const node = (over: Partial<RouteNode>): RouteNode => ({
      receiver: null,
      matchers: [],
      groupBy: null,
      groupWaitS: null,
      groupIntervalS: null,
      repeatIntervalS: null,
      repeatBackoff: null,
      sendResolved: null,
      sendResolvedRules: {},
      continue: false,
      routes: [],
      ...over,
    });
    const route: RootRoute = { ...node({ routes: [node({ matchers: [{ name: 'a', op: '=', value: 'b', regex: null }], receiver: 'x' })] }), receiver: 'root' };
    const c: RoutingConfig = { source: null, route, receivers: new Map() };
    expect(receiversOf(c, {})).toEqual(['root']);
    expect(receiversOf(c, { a: 'b' })).toEqual(['x']);
    expect(routeAlert(c, { a: 'b' })[0]?.id).toBe('{}/{a="b"}/0');
  });

  it('reads labels as data: a label named like an Object method is just a label', async () => {
    const c = await config('  receiver: ops\n  routes:\n    - matchers: [\'constructor=~".+"\']\n      receiver: odd', ['ops', 'odd']);
    expect(receiversOf(c, { alertname: 'x' })).toEqual(['ops']);
    expect(receiversOf(c, { alertname: 'x', constructor: 'y' })).toEqual(['odd']);
  });
});

describe('group keys', () => {
  const match = { id: '{}/{severity="critical"}/0', groupBy: ['alertname', 'host'] };

  it('route id + the group_by labels the alert has, sorted, quoted', () => {
    expect(groupKey(match, { host: 'ds01', alertname: 'gpu-temperature', gpu: 'GPU-1' })).toBe(
      '{}/{severity="critical"}/0:{alertname="gpu-temperature", host="ds01"}',
    );
    expect(groupKey(match, { alertname: 'gpu-temperature' })).toBe('{}/{severity="critical"}/0:{alertname="gpu-temperature"}');
    expect(groupKey({ id: '{}', groupBy: [] }, { alertname: 'x' })).toBe('{}:{}');
  });

  it('is the same for alerts that differ only outside group_by, and differs inside it', () => {
    const a = groupKey(match, { alertname: 'idle-gpu-container', host: 'ds01', container: 'aaa', user: 'h.baker@hertie-school.lan' });
    const b = groupKey(match, { alertname: 'idle-gpu-container', host: 'ds01', container: 'bbb', user: '228755@hertie-school.lan' });
    const c = groupKey(match, { alertname: 'idle-gpu-container', host: 'ds02', container: 'aaa' });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('does not depend on the order labels were given in', () => {
    const all = { id: '{}', groupBy: ['...'] };
    expect(groupKey(all, { b: '2', a: '1', c: '3' })).toBe(groupKey(all, { c: '3', a: '1', b: '2' }));
    expect(groupKey(all, { b: '2', a: '1' })).toBe('{}:{a="1", b="2"}');
  });

  it('alsoBy adds labels (one group per person for user messages)', () => {
    const labels = { alertname: 'x', host: 'ds01', user: 'h.baker@hertie-school.lan' };
    expect(groupKey(match, labels, ['user'])).toBe('{}/{severity="critical"}/0:{alertname="x", host="ds01", user="h.baker@hertie-school.lan"}');
    expect(groupLabels(match, labels, ['host'])).toEqual({ alertname: 'x', host: 'ds01' });
  });

  it('escapes quotes and backslashes, so two label sets never share a key', () => {
    expect(formatLabels({ a: 'x", b="y' })).toBe('{a="x\\", b=\\"y"}');
    expect(formatLabels({ a: 'x', b: 'y' })).not.toBe(formatLabels({ a: 'x", b="y' }));
  });
});

describe('repeatDelayS', () => {
  it('is the repeat interval without backoff (or with factor 1)', () => {
    expect(repeatDelayS({ repeatIntervalS: 3600, repeatBackoff: null }, 5)).toBe(3600);
    expect(repeatDelayS({ repeatIntervalS: 3600, repeatBackoff: { factor: 1, maxS: 86_400 } }, 5)).toBe(3600);
  });

  it('grows by the factor per repeat and stops at the max', () => {
    const t = { repeatIntervalS: 3600, repeatBackoff: { factor: 2, maxS: 86_400 } };
    expect([0, 1, 2, 3, 4, 5, 6, 100, 10_000].map((n) => repeatDelayS(t, n))).toEqual([3600, 7200, 14_400, 28_800, 57_600, 86_400, 86_400, 86_400, 86_400]);
    expect(repeatDelayS(t, -3)).toBe(3600);
  });
});

describe('routingLabels', () => {
  it('the alert\'s labels plus alertname = rule id and severity, which win over labels of the same name', () => {
    expect(routingLabels({ rule: 'gpu-temperature', severity: 'critical', labels: { host: 'ds01', gpu: 'GPU-1', severity: 'low', alertname: 'x' } })).toEqual({
      host: 'ds01',
      gpu: 'GPU-1',
      alertname: 'gpu-temperature',
      severity: 'critical',
    });
  });
});
