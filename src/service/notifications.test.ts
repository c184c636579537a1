import { describe, expect, it } from 'vitest';
import type { Alert } from '../alerts/alert.ts';
import { routingFrom, TEST_WEBHOOK } from '../config/routing/test-support.ts';
import { recipientsFromRouting } from './notifications.ts';

const ROUTING = `route:\n  receiver: ops\nreceivers:\n  - name: ops\n    slack: {webhook_url: "${TEST_WEBHOOK}"}\n`;

function alertFor(user: string): Alert {
  const at = '2026-11-25T10:00:00.000Z';
  return {
    fingerprint: 'f', rule: 'unmanaged-gpu-container', host: 'ds01', severity: 'warning', stage: null, labels: { user },
    annotations: { summary: '', description: '' }, notify: ['owner'], state: 'firing', activeSince: at, firedAt: at,
    resolvedAt: null, lastMatchedAt: at, updatedAt: at,
  };
}

describe('recipientsFromRouting: log lines', () => {
  it('a user name from a snapshot (a container label) cannot add a line to the log', async () => {
    const logs: string[] = [];
    recipientsFromRouting(await routingFrom(ROUTING), null, (l) => logs.push(l))(alertFor('mallory\ngpuwarden: forged\u001b[2K'));
    expect(logs).toHaveLength(1);
    expect(logs[0]).not.toMatch(/[\u0000-\u001f]/);
    expect(logs[0]).toContain('mallory\\ngpuwarden: forged\\x1b[2K');
  });
});
