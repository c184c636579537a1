// The alerts page's model: what fires and is pending, the silences in force, the enforcement actions.
import { activeAlerts } from './active-alerts.ts';
import { actionView, silenceView, type ActionView, type AlertView, type SilenceView } from './alert-view.ts';
import type { WebModelDeps } from './fleet.ts';

/** How many enforcement actions the alerts page lists (newest first). */
export const ACTIONS_LISTED = 100;

/** The alerts page. */
export interface AlertsModel {
  now: string;
  firing: AlertView[];
  pending: AlertView[];
  silences: SilenceView[];
  actions: ActionView[];
}

/** Load the alerts page. */
export async function loadAlerts(deps: WebModelDeps): Promise<AlertsModel> {
  const now = deps.clock();
  const hosts = (await deps.store.listHosts()).map((r) => r.host);
  const alerts = await activeAlerts(deps.store, hosts, now);
  const silences = await deps.store.listSilences({ activeAt: now.toISOString() });
  const actions = await deps.store.listActions({ limit: ACTIONS_LISTED });
  return {
    now: now.toISOString(),
    firing: alerts.filter((a) => a.state === 'firing'),
    pending: alerts.filter((a) => a.state === 'pending'),
    silences: silences.map(silenceView).sort((a, b) => a.endsAt.localeCompare(b.endsAt) || a.id.localeCompare(b.id)),
    actions: actions.map(actionView),
  };
}
