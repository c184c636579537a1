import type { OutboxPayload } from '../notify/plan.ts';
import type { OutboxItem } from '../store/store.ts';
import type { GwEvent } from './event.ts';

/**
 * One `notification.sent` / `notification.failed` event per message (not per alert in it): subject the group key,
 * user the group's user, host when every alert of the message is on one host; `detail` says how many or why not.
 */
export function notificationEvent(type: 'notification.sent' | 'notification.failed', items: readonly OutboxItem[], detail: string, at: Date): GwEvent | null {
  const first = items[0];
  if (first === undefined) return null;
  const payloads = items.map((item) => JSON.parse(item.payload) as OutboxPayload);
  const hosts = [...new Set(payloads.map((p) => p.alert.host))];
  const user = payloads[0]?.user ?? null;
  return {
    id: crypto.randomUUID(),
    at: at.toISOString(),
    type,
    ...(hosts.length === 1 && hosts[0] !== undefined ? { host: hosts[0] } : {}),
    ...(user === null || user === '' ? {} : { user }),
    subject: first.groupKey,
    details: { receiver: first.receiver, alerts: payloads.length, rules: [...new Set(payloads.map((p) => p.alert.rule))].sort().slice(0, 20), detail },
  };
}
