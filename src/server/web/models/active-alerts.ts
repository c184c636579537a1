// Every pending and firing alert of the fleet, read per host so no list limit can hide one (as /metrics does).
import type { Store } from '../../../store/store.ts';
import { alertView, compareAlerts, type AlertView } from './alert-view.ts';

/** The pending and firing alerts of `hosts` at `now`, each with the silence muting it, firing first. */
export async function activeAlerts(store: Store, hosts: readonly string[], now: Date): Promise<AlertView[]> {
  const silences = await store.listSilences({ activeAt: now.toISOString() });
  const alerts = (await Promise.all(hosts.map((h) => store.alertsForHost(h)))).flat();
  return alerts.filter((a) => a.state !== 'resolved').map((a) => alertView(a, silences, now)).sort(compareAlerts);
}
