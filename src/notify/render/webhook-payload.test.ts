import { describe, expect, it } from 'vitest';
import { sampleAlert } from '../test-support.ts';
import type { MessageGroup } from '../types.ts';
import { renderWebhook, truncateWebhook, ZERO_TIME } from './webhook-payload.ts';

const group = (over: Partial<MessageGroup>): MessageGroup => ({ receiver: 'am-bridge', audience: 'admin', user: null, groupKey: '{}:{alertname="gpu-waste"}', groupLabels: { alertname: 'gpu-waste' }, alerts: [], ...over });

describe("Alertmanager's webhook payload", () => {
  const a = sampleAlert({ rule: 'gpu-waste', labels: { host: 'ds01', gpu: 'GPU-1' }, annotations: { summary: 'GPU 1 wasted', description: 'same' } });
  const b = sampleAlert({ rule: 'gpu-waste', labels: { host: 'ds01', gpu: 'GPU-2' }, annotations: { summary: 'GPU 2 wasted', description: 'same' }, state: 'resolved', resolvedAt: '2026-11-25T17:30:00.000Z' });

  it('version 4 with the group, common labels and annotations, alertname and severity as labels', () => {
    const p = renderWebhook(group({ alerts: [{ alert: a, reason: 'firing' }, { alert: b, reason: 'resolved' }] }));
    expect(Object.keys(p)).toEqual(['version', 'groupKey', 'truncatedAlerts', 'status', 'receiver', 'groupLabels', 'commonLabels', 'commonAnnotations', 'externalURL', 'alerts']);
    expect(p).toMatchObject({ version: '4', groupKey: '{}:{alertname="gpu-waste"}', status: 'firing', receiver: 'am-bridge', externalURL: '' });
    expect(p.commonLabels).toEqual({ alertname: 'gpu-waste', host: 'ds01', severity: 'warning' });
    expect(p.commonAnnotations).toEqual({ description: 'same' });
    expect(p.alerts[0]).toEqual({
      status: 'firing',
      labels: { alertname: 'gpu-waste', gpu: 'GPU-1', host: 'ds01', severity: 'warning' },
      annotations: { description: 'same', summary: 'GPU 1 wasted' },
      startsAt: a.firedAt,
      endsAt: ZERO_TIME,
      generatorURL: '',
      fingerprint: a.fingerprint,
    });
    expect(p.alerts[1]).toMatchObject({ status: 'resolved', endsAt: '2026-11-25T17:30:00.000Z' });
  });

  it('resolved when nothing fires; links to the service when its URL is known', () => {
    const p = renderWebhook(group({ alerts: [{ alert: b, reason: 'resolved' }], serviceUrl: 'https://gw.example.org/' }));
    expect(p.status).toBe('resolved');
    expect(p.externalURL).toBe('https://gw.example.org');
    expect(p.alerts[0]?.generatorURL).toBe('https://gw.example.org/v1/alerts?rule=gpu-waste');
  });

  it('max_alerts: the first N, the rest counted; 0 or enough room leaves it as is', () => {
    const p = renderWebhook(group({ alerts: [{ alert: a, reason: 'firing' }, { alert: b, reason: 'resolved' }] }));
    expect(truncateWebhook(p, 1)).toMatchObject({ truncatedAlerts: 1, alerts: [{ fingerprint: a.fingerprint }] });
    expect(truncateWebhook(p, 0)).toBe(p);
    expect(truncateWebhook(p, 2)).toBe(p);
  });
});
