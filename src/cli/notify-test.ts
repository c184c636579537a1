import { parseArgs } from 'node:util';
import type { Alert } from '../alerts/alert.ts';
import { fingerprint } from '../alerts/fingerprint.ts';
import { loadRoutingConfig, loadUserDirectory } from '../config/routing/load.ts';
import { createNotifierRegistry } from '../notify/registry.ts';
import { renderMessage } from '../notify/render/render.ts';
import { recipientsFor } from '../notify/route/recipients.ts';
import type { Destination, MessageGroup } from '../notify/types.ts';
import { destinationFromRouting, emailSettingsByReceiver } from '../service/notifications.ts';
import type { CliIo } from './io.ts';
import { describeDestination } from './routes-test.ts';
import { UsageError } from './usage-error.ts';

/** Usage text of this command (kept in usage.ts so help never loads the command). */
export { NOTIFY_USAGE } from './usage.ts';

function sampleAlert(user: string | null, now: Date): Alert {
  const labels: Record<string, string> = { host: 'gpuwarden-test', container: '0'.repeat(64), containerName: 'notification-drill' };
  if (user !== null) labels.user = user;
  const iso = now.toISOString();
  return {
    fingerprint: fingerprint('notification-test', labels), rule: 'notification-test', host: 'gpuwarden-test', severity: 'info', stage: null, labels,
    annotations: { summary: 'This is a test message from gpuwarden', description: 'An admin checked that notifications reach you. Nothing needs doing.' },
    notify: user === null ? ['admins'] : ['owner'], state: 'firing', activeSince: iso, firedAt: iso, resolvedAt: null, lastMatchedAt: iso, updatedAt: iso,
  };
}

/** parseArgs options of `gpuwarden notify test`. */
export const NOTIFY_FLAGS = { config: { type: 'string' }, receiver: { type: 'string' }, user: { type: 'string' }, users: { type: 'string' } } as const;

/** Request timeouts of the drill's notifiers. */
const DRILL_NOTIFIER_TIMEOUTS = { slack: { timeoutMs: 10_000 } } as const;

/** `gpuwarden notify test`: a marked drill message through a receiver, or to a person through every channel they have. */
export async function notifyCommand(args: string[], io: CliIo): Promise<number> {
  if (args[0] !== 'test') throw new UsageError(`notify needs a subcommand: test${args[0] === undefined ? '' : `, not "${args[0]}"`}`);
  const { values } = parseArgs({ args: args.slice(1), options: NOTIFY_FLAGS, strict: true });
  if (values.config === undefined) throw new UsageError('notify test needs --config notifications.yaml');
  if ((values.receiver === undefined) === (values.user === undefined)) throw new UsageError('give exactly one of --receiver NAME or --user NAME');
  const routing = await loadRoutingConfig(values.config, io.env);
  const now = new Date();
  const user = values.user ?? null;
  let targets: { receiver: string; destination: Destination }[];
  if (user !== null) {
    const directory = values.users === undefined ? null : await loadUserDirectory(values.users, routing);
    const found = recipientsFor(['owner'], { user, alertname: 'notification-test', severity: 'info' }, routing, directory);
    for (const s of found.skipped) io.stderr(`${s.user ?? s.notify}: ${s.reason}\n`);
    if (found.recipients.length === 0) return 1;
    // Every channel the person has (email and the Slack mention): a drill that tries only one tests only half.
    targets = found.recipients.map((r) => ({ receiver: r.receiver, destination: r.destination }));
  } else {
    const receiver = values.receiver ?? '';
    const destination = routing.receivers.has(receiver) ? destinationFromRouting(routing)(receiver, { kind: 'email', to: [] }) : null;
    if (destination === null) {
      io.stderr(`gpuwarden notify test: no receiver "${receiver}" in ${values.config} (receivers: ${[...routing.receivers.keys()].join(', ')})\n`);
      return 1;
    }
    targets = [{ receiver, destination }];
  }
  const audience: MessageGroup['audience'] = user !== null ? 'user' : 'admin';
  const registry = createNotifierRegistry({ ...DRILL_NOTIFIER_TIMEOUTS, smtp: null, emailByReceiver: emailSettingsByReceiver(routing) });
  let failed = 0;
  try {
    for (const { receiver, destination } of targets) {
      const group: MessageGroup = { receiver, audience, user, groupKey: 'test', groupLabels: {}, alerts: [{ alert: sampleAlert(user, now), reason: 'firing' }], test: true };
      const rendered = renderMessage(group, { mention: destination.kind === 'slack' ? destination.mention : null, contact: routing.contact ?? null });
      const result = await registry.forReceiver(receiver).send(rendered, destination);
      if (result.ok) {
        io.stdout(`sent a test message via ${receiver} (${describeDestination(destination)})\n`);
      } else {
        failed += 1;
        io.stderr(`gpuwarden notify test: ${receiver} (${describeDestination(destination)}): ${result.error}${result.retry ? ' (temporary: worth retrying)' : ''}\n`);
      }
    }
    return failed === 0 ? 0 : 1;
  } finally {
    await registry.close();
  }
}
