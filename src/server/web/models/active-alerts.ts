// Every pending and firing alert of the fleet (or of one host), in one store query that no list limit caps.
import type { Store } from '../../../store/store.ts';
import { alertView, compareAlerts, type AlertView } from './alert-view.ts';

/** The pending and firing alerts of `hosts` at `now`, each with the silence muting it, firing first. */
export async function activeAlerts(store: Store, hosts: readonly string[], now: Date): Promise<AlertView[]> {
  const silences = await store.listSilences({ activeAt: now.toISOString() });
  const [only] = hosts;
  const known = new Set(hosts);
  const active = hosts.length === 1 && only !== undefined ? (await store.alertsForHost(only)).filter((a) => a.state !== 'resolved') : (await store.activeAlerts()).filter((a) => known.has(a.host));
  return active.map((a) => alertView(a, silences, now)).sort(compareAlerts);
}
