import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SlackBlock, SlackMessage } from '../notifier.ts';
import { goldenSamples, idleAlert, sampleAlert } from '../test-support.ts';
import type { MessageGroup, NotifiedAlert } from '../types.ts';
import { renderMessage } from './render.ts';
import { SLACK_LIMITS } from './slack-payload.ts';

/** Every mrkdwn/plain text string in a payload. */
function texts(block: SlackBlock): string[] {
  switch (block.type) {
    case 'header':
      return [block.text.text];
    case 'section':
      return [...(block.text !== undefined ? [block.text.text] : []), ...(block.fields ?? []).map((f) => f.text)];
    case 'context':
      return block.elements.map((e) => ('text' in e ? e.text : ''));
    default:
      return [];
  }
}

/** Slack's limits, checked on a payload. */
function expectWithinLimits(slack: SlackMessage): void {
  expect(slack.text.length).toBeGreaterThan(0);
  expect(slack.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackTextChars);
  expect(slack.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  expect(slack.blocks[0]?.type).toBe('header');
  for (const block of slack.blocks) {
    if (block.type === 'header') {
      expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerChars);
      expect(block.text.text).not.toMatch(/[\r\n]/);
    }
    if (block.type === 'section') {
      expect((block.text?.text ?? '').length).toBeLessThanOrEqual(SLACK_LIMITS.sectionTextChars);
      expect((block.fields ?? []).length).toBeLessThanOrEqual(SLACK_LIMITS.fieldsPerSection);
      if (block.fields !== undefined) expect(block.fields.length).toBeGreaterThan(0);
      for (const f of block.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldChars);
    }
    if (block.type === 'context') expect(block.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
  }
}

const group = (alerts: NotifiedAlert[], extra: Partial<MessageGroup> = {}): MessageGroup => ({
  receiver: 'owner',
  audience: 'user',
  user: 'h.baker@hertie-school.lan',
  groupKey: 'k',
  groupLabels: {},
  alerts,
  ...extra,
});

describe('Slack payload', () => {
  it('every golden kind is within Slack’s limits', () => {
    for (const { group: g, options } of Object.values(goldenSamples())) expectWithinLimits(renderMessage(g, options).slack);
  });

  it('60 alerts: 50 blocks, the rest summarised', () => {
    const { slack } = renderMessage(goldenSamples()['truncated-60'].group);
    expect(slack.blocks).toHaveLength(50);
    const summary = slack.blocks[48];
    expect(summary?.type === 'section' && summary.text?.text).toBe('… and 14 more alerts not shown here (Slack shows at most 50 blocks).');
    expect(slack.blocks[49]?.type).toBe('context');
  });

  it('exactly as many alerts as fit: no summary line', () => {
    const alerts = Array.from({ length: 47 }, (_, i) => ({ alert: sampleAlert({ rule: 'r', fingerprint: `f${i}` }), reason: 'firing' as const }));
    const { slack } = renderMessage(group(alerts));
    expect(slack.blocks).toHaveLength(50);
    expect(JSON.stringify(slack.blocks)).not.toContain('more alerts');
    const { slack: over } = renderMessage(group([...alerts, alerts[0] as NotifiedAlert]));
    expect(over.blocks).toHaveLength(50);
    expect(JSON.stringify(over.blocks)).toContain('… and 2 more alerts');
  });

  it('mentions the person when the destination has a member id, in text and blocks', () => {
    const { slack } = renderMessage(group([{ alert: idleAlert('base'), reason: 'firing' }]), { mention: 'U024BE7LH' });
    expect(slack.text.startsWith('<@U024BE7LH> ')).toBe(true);
    expect(texts(slack.blocks[1] as SlackBlock)[0]).toMatch(/^<@U024BE7LH> Hello h\.baker,/);
    const { slack: none } = renderMessage(group([{ alert: idleAlert('base'), reason: 'firing' }]), { mention: '<!channel>' });
    expect(JSON.stringify(none)).not.toContain('<!channel>');
  });

  it('marks a drill in the header, the text and a context line', () => {
    const { slack } = renderMessage({ ...group([{ alert: idleAlert('base'), reason: 'firing' }]), test: true });
    expect(slack.text.startsWith('[TEST] ')).toBe(true);
    expect(texts(slack.blocks[0] as SlackBlock)[0]?.startsWith('[TEST] ')).toBe(true);
    expect(slack.blocks[1]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: expect.stringContaining('This is a test message') as string }] });
  });

  it('escapes user-controlled labels and annotations: no link, mention or <!channel> can be injected', () => {
    const evil = '<!channel> <https://evil.example|click> <@U999> & <script>';
    const alert = sampleAlert({ rule: 'r', labels: { host: 'ds01', containerName: evil, container: 'c1' }, annotations: { summary: evil, description: evil } });
    const { slack } = renderMessage(group([{ alert, reason: 'firing' }], { audience: 'admin', user: null }));
    const all = slack.blocks.filter((b) => b.type !== 'header').flatMap(texts).join('\n') + slack.text;
    expect(all).not.toMatch(/<[!@h]/);
    expect(all).toContain('&lt;!channel&gt;');
  });

  it('property: any alerts, any text → within limits, nothing unescaped', () => {
    const text = fc.string({ maxLength: 4000, unit: 'binary' });
    const alertArb = fc.record({ name: text, summary: text, description: text, severity: fc.constantFrom('info' as const, 'warning' as const, 'critical' as const), stage: fc.option(fc.constantFrom('limit', 'final')), resolved: fc.boolean() });
    fc.assert(
      fc.property(fc.array(alertArb, { maxLength: 70 }), fc.constantFrom('user' as const, 'admin' as const), fc.boolean(), text, (specs, audience, test, user) => {
        const alerts = specs.map((s, i) => ({
          alert: sampleAlert({ rule: 'r', fingerprint: `f${i}`, severity: s.severity, stage: s.stage, state: s.resolved ? ('resolved' as const) : ('firing' as const), labels: { host: 'ds01', containerName: s.name, container: s.name }, annotations: { summary: s.summary, description: s.description } }),
          reason: s.resolved ? ('resolved' as const) : ('firing' as const),
        }));
        const { slack } = renderMessage(group(alerts, { audience, test, user }), { mention: 'U1234567' });
        expectWithinLimits(slack);
        const body = slack.blocks.filter((b) => b.type !== 'header').flatMap(texts).join('\n');
        expect(body.replace(/<@U1234567>/g, '')).not.toMatch(/[<>]/);
      }),
      { numRuns: 60 },
    );
  });
});
