import { describe, expect, it } from 'vitest';
import { goldenSamples, sampleAlert } from '../test-support.ts';
import type { MessageGroup } from '../types.ts';
import { escapeTeams, renderTeams, TEAMS_LIMITS } from './teams-card.ts';
import { buildView } from './view.ts';

const group = (over: Partial<MessageGroup>): MessageGroup => ({ receiver: 'ds01-teams', audience: 'admin', user: null, groupKey: 'g', groupLabels: { alertname: 'x' }, alerts: [], ...over });
const body = (g: MessageGroup) => renderTeams(buildView(g)).attachments[0].content.body;

describe('Teams Adaptive Card', () => {
  it('is the msteamsv2 message shape: one adaptive card attachment, full width, heading coloured by the worst word', () => {
    const card = renderTeams(buildView(goldenSamples()['admin-group'].group));
    expect(card).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: { type: 'AdaptiveCard', msteams: { width: 'Full' } } }] });
    expect(card.attachments[0].content.body[0]).toMatchObject({ type: 'TextBlock', weight: 'Bolder', color: 'Attention' });
    const resolved = body(group({ alerts: [{ alert: sampleAlert({ rule: 'gpu-waste', state: 'resolved', resolvedAt: '2026-11-25T17:00:00Z' }), reason: 'resolved' }] }));
    expect(resolved[0]).toMatchObject({ color: 'Good' });
  });

  it('user text cannot become a link: the Markdown link form is broken up', () => {
    expect(escapeTeams('see [docs](https://evil.example)')).toBe('see [docs] (https://evil.example)');
    const alert = sampleAlert({ rule: 'r', annotations: { summary: 'Container [click me](https://evil.example) is idle', description: '' } });
    expect(JSON.stringify(body(group({ alerts: [{ alert, reason: 'firing' }] })))).not.toContain('](');
  });

  it('stays under the size limit however many alerts, counting the ones left out', () => {
    const alerts = Array.from({ length: 300 }, (_, i) => ({ alert: sampleAlert({ rule: `rule-${i}`, annotations: { summary: 'x'.repeat(300), description: 'y'.repeat(500) } }), reason: 'firing' as const }));
    const card = renderTeams(buildView(group({ alerts })));
    expect(JSON.stringify(card).length).toBeLessThanOrEqual(TEAMS_LIMITS.cardJsonChars);
    const items = card.attachments[0].content.body.filter((e) => e.type === 'Container').length;
    expect(items).toBeGreaterThan(5);
    expect(JSON.stringify(card)).toContain(`… and ${300 - items} more alerts not shown here`);
  });
});
