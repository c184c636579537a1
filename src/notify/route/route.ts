// Pure: which routes of the tree an alert takes (Alertmanager's algorithm), their effective timing, and group keys.
import { alertLabels } from '../../alerts/alert-labels.ts';
import { formatMatchers, matcherMatches } from '../../config/routing/matcher.ts';
import { GROUP_BY_ALL, ROUTE_DEFAULTS, type Matcher, type RepeatBackoff, type RouteNode, type RoutingConfig } from '../../config/routing/types.ts';

/** A route's settings after inheritance from its parents (and the root's defaults). */
export interface RouteTiming {
  /** Label names, or [`...`] for every label. */
  groupBy: readonly string[];
  groupWaitS: number;
  groupIntervalS: number;
  repeatIntervalS: number;
  repeatBackoff: RepeatBackoff | null;
  /** For this alert's rule (`alertname`): the rule override if any route on the way set one, else the route's. */
  sendResolved: boolean;
}

/** One route an alert is delivered through, with its receiver and effective timing. */
export interface RouteMatch extends RouteTiming {
  /** Alertmanager-style route id: `{}` for the root, then `/{matchers}/index` per level. */
  id: string;
  /** Child indices from the root ([] = the root itself). */
  path: number[];
  receiver: string;
  /** The matchers of every route on the way (root first). */
  matchers: Matcher[];
}

interface Inherited {
  receiver: string;
  groupBy: readonly string[];
  groupWaitS: number;
  groupIntervalS: number;
  repeatIntervalS: number;
  repeatBackoff: RepeatBackoff | null;
  sendResolved: boolean;
  sendResolvedRules: Readonly<Record<string, boolean>>;
}

function inherit(parent: Inherited, node: RouteNode): Inherited {
  return {
    receiver: node.receiver ?? parent.receiver,
    groupBy: node.groupBy ?? parent.groupBy,
    groupWaitS: node.groupWaitS ?? parent.groupWaitS,
    groupIntervalS: node.groupIntervalS ?? parent.groupIntervalS,
    repeatIntervalS: node.repeatIntervalS ?? parent.repeatIntervalS,
    repeatBackoff: node.repeatBackoff ?? parent.repeatBackoff,
    sendResolved: node.sendResolved ?? parent.sendResolved,
    sendResolvedRules: { ...parent.sendResolvedRules, ...node.sendResolvedRules },
  };
}

/** The labels routes match on: the same as silences and inhibition (alert labels + `alertname` + `severity`). */
export const routingLabels = alertLabels;

/**
 * The routes an alert with these labels (its labels plus `alertname` = rule id and `severity`) is delivered through:
 * depth first, the first matching child wins unless it has `continue: true`; a route none of whose children match
 * delivers itself. The root matches every alert, so the result is never empty.
 */
export function routeAlert(config: RoutingConfig, labels: Readonly<Record<string, string>>): RouteMatch[] {
  const alertname = Object.hasOwn(labels, 'alertname') ? (labels.alertname ?? '') : '';
  const walk = (node: RouteNode, parent: Inherited, id: string, path: number[], matchers: Matcher[]): RouteMatch[] | null => {
    if (!node.matchers.every((m) => matcherMatches(m, labels))) return null;
    const eff = inherit(parent, node);
    const chain = [...matchers, ...node.matchers];
    const found: RouteMatch[] = [];
    for (const [i, child] of node.routes.entries()) {
      const childId = `${id}/${formatMatchers(child.matchers)}/${i}`;
      const m = walk(child, eff, childId, [...path, i], chain);
      if (m === null) continue;
      found.push(...m);
      if (!child.continue) break;
    }
    if (found.length > 0) return found;
    const override = Object.hasOwn(eff.sendResolvedRules, alertname) ? eff.sendResolvedRules[alertname] : undefined;
    return [
      {
        id,
        path,
        receiver: eff.receiver,
        matchers: chain,
        groupBy: eff.groupBy,
        groupWaitS: eff.groupWaitS,
        groupIntervalS: eff.groupIntervalS,
        repeatIntervalS: eff.repeatIntervalS,
        repeatBackoff: eff.repeatBackoff,
        sendResolved: override ?? eff.sendResolved,
      },
    ];
  };
  const root: Inherited = { ...ROUTE_DEFAULTS, receiver: config.route.receiver, sendResolvedRules: {} };
  return walk(config.route, root, formatMatchers(config.route.matchers), [], []) ?? [];
}

/** The labels that make an alert's group on this route: the group_by labels it has (every label for `...`), sorted. */
export function groupLabels(
  match: Pick<RouteTiming, 'groupBy'>,
  labels: Readonly<Record<string, string>>,
  alsoBy: readonly string[] = [],
): Record<string, string> {
  const names = match.groupBy.includes(GROUP_BY_ALL) ? Object.keys(labels) : [...match.groupBy, ...alsoBy];
  const out: Record<string, string> = {};
  for (const name of [...new Set(names)].sort()) {
    if (Object.hasOwn(labels, name)) out[name] = labels[name] ?? '';
  }
  return out;
}

/** `{alertname="gpu-temperature", host="ds01"}`: labels sorted by name, values quoted and escaped. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  return `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k] ?? '')}`)
    .join(', ')}}`;
}

/**
 * The key of the group an alert joins on a route, stable across runs: `<route id>:<group labels>`, e.g.
 * `{}/{severity="critical"}/0:{alertname="gpu-temperature"}`. `alsoBy` adds labels (`user` for per-person messages).
 */
export function groupKey(match: Pick<RouteMatch, 'id' | 'groupBy'>, labels: Readonly<Record<string, string>>, alsoBy: readonly string[] = []): string {
  return `${match.id}:${formatLabels(groupLabels(match, labels, alsoBy))}`;
}

/** Seconds to wait before the n-th repeat (n = 0 for the first): repeat_interval × factor^n, capped at the backoff max. */
export function repeatDelayS(timing: Pick<RouteTiming, 'repeatIntervalS' | 'repeatBackoff'>, n: number): number {
  const b = timing.repeatBackoff;
  if (b === null || b.factor <= 1) return timing.repeatIntervalS;
  const delay = timing.repeatIntervalS * b.factor ** Math.max(0, n);
  return Math.min(Math.max(timing.repeatIntervalS, b.maxS), Number.isFinite(delay) ? delay : Number.POSITIVE_INFINITY);
}
