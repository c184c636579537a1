import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idleAlert, sampleAlert } from '../test-support.ts';
import type { MessageGroup, NotifiedAlert } from '../types.ts';
import { SUBJECT_MAX_CHARS } from './email-body.ts';
import { renderMessage } from './render.ts';

const group = (alerts: NotifiedAlert[], extra: Partial<MessageGroup> = {}): MessageGroup => ({
  receiver: 'owner',
  audience: 'user',
  user: 'h.baker@hertie-school.lan',
  groupKey: 'k',
  groupLabels: {},
  alerts,
  ...extra,
});

describe('email rendering', () => {
  it('subject: `[gpuwarden] WORD: …`, [TEST] first for drills', () => {
    const alerts = [
      { alert: idleAlert('base'), reason: 'firing' as const },
      { alert: sampleAlert({ rule: 'gpu-quota', severity: 'info' }), reason: 'firing' as const },
    ];
    expect(renderMessage(group(alerts)).email.subject).toBe('[gpuwarden] WARNING: 2 alerts for h.baker@hertie-school.lan on ds01');
    expect(renderMessage({ ...group(alerts), test: true }).email.subject).toBe('[TEST] [gpuwarden] WARNING: 2 alerts for h.baker@hertie-school.lan on ds01');
  });

  it('subject: one line, at most 200 characters, even for a hostile summary', () => {
    const alert = sampleAlert({ rule: 'r', annotations: { summary: `a\r\nBcc: victim@example.org\n${'x'.repeat(500)}`, description: '' } });
    const { subject } = renderMessage(group([{ alert, reason: 'firing' }])).email;
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX_CHARS);
    expect(subject.endsWith('…')).toBe(true);
  });

  it('HTML escapes every label and annotation; text keeps them readable', () => {
    const evil = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const alert = sampleAlert({ rule: 'r', labels: { host: 'ds01', containerName: evil, container: 'c1', user: evil }, annotations: { summary: evil, description: evil } });
    for (const audience of ['user', 'admin'] as const) {
      const { html, text } = renderMessage(group([{ alert, reason: 'firing' }], { audience, user: evil, groupLabels: { rule: evil } }), { contact: evil }).email;
      expect(html).not.toContain('<script');
      expect(html).not.toContain('<img');
      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
      expect(text).toContain(evil);
    }
  });

  it('a drill carries a banner in text and HTML', () => {
    const { text, html } = renderMessage({ ...group([{ alert: idleAlert('base'), reason: 'firing' }]), test: true }).email;
    expect(text.startsWith('THIS IS A TEST MESSAGE')).toBe(true);
    expect(html).toContain('THIS IS A TEST MESSAGE');
  });

  it('lists every alert (no block limit in email)', () => {
    const alerts = Array.from({ length: 60 }, (_, i) => ({ alert: sampleAlert({ rule: 'r', fingerprint: `f${i}`, annotations: { summary: `alert number ${i}`, description: '' } }), reason: 'firing' as const }));
    const { text, html } = renderMessage(group(alerts, { audience: 'admin', user: null })).email;
    for (let i = 0; i < 60; i++) {
      expect(text).toContain(`alert number ${i}\n`);
      expect(html).toContain(`alert number ${i}<`);
    }
  });

  it('property: nothing user-controlled becomes markup', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('user' as const, 'admin' as const), (name, summary, audience) => {
        const alert = sampleAlert({ rule: 'r', labels: { host: 'ds01', containerName: name, container: 'c' }, annotations: { summary, description: name } });
        const { html, subject } = renderMessage(group([{ alert, reason: 'firing' }], { audience, user: name })).email;
        const tags = html.match(/<\/?([a-zA-Z!][a-zA-Z0-9]*)/g) ?? [];
        const allowed = new Set(['<!DOCTYPE', '<html', '</html', '<head', '</head', '<meta', '<title', '</title', '<body', '</body', '<p', '</p', '<strong', '</strong', '<div', '</div', '<table', '</table', '<tr', '</tr', '<th', '</th', '<td', '</td', '<hr', '<br']);
        for (const t of tags) expect(allowed.has(t), t).toBe(true);
        expect(subject).not.toMatch(/[\r\n]/);
      }),
      { numRuns: 100 },
    );
  });
});
