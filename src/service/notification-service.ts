// Notifications on Node: the delivery pass with the notifier registry (Slack through @slack/webhook, email through
// nodemailer SMTP or an HTTP mail API, Teams and generic webhooks through fetch). The Worker builds its own from the same createDeliveryService
// (src/server/worker-service.ts).
import type { RoutingConfig } from '../config/routing/types.ts';
import { createNotifierRegistry } from '../notify/registry.ts';
import type { Store } from '../store/store.ts';
import { createDeliveryService, emailSettingsByReceiver } from './notifications.ts';

/** Everything `serve` needs to deliver notifications from a loaded routing config (its `contact` signs user messages). */
export function createNotificationService(opts: { store: Store; routing: RoutingConfig; clock: () => Date; log: (line: string) => void; contact?: string | null; webUrl?: string | null }) {
  const registry = createNotifierRegistry({ slack: { timeoutMs: 10_000 }, smtp: null, emailByReceiver: emailSettingsByReceiver(opts.routing) });
  const service = createDeliveryService({ ...opts, notifierFor: (receiver) => registry.forReceiver(receiver) });
  return {
    /** One delivery pass plus expiry of resolved "until resolved" silences. */
    deliver: service.deliver,
    close: () => registry.close(),
  };
}
