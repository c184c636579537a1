// route: as written → RouteNode tree; checks what spans keys: the root's rules, receivers named, backoff vs interval.
import { formatDuration, parseDuration } from '../../format/duration.ts';
import type { PathSegment } from '../limits/config-problem.ts';
import { didYouMean } from '../limits/suggest.ts';
import type { Report } from './build-receivers.ts';
import { parseMatcher } from './matcher.ts';
import type { ReceiverFile, RouteFile } from './schema.ts';
import { ROUTE_DEFAULTS, type Matcher, type ReceiverKind, type RootRoute, type RouteNode } from './types.ts';

/** What the route checks need to know about each receiver defined. */
export interface ReceiverFacts {
  kind: ReceiverKind;
  /** Email receivers: whether `to:` lists anyone (a receiver in the tree writes to admins). */
  hasTo: boolean;
}

/** Facts of the receivers as written (first definition of each name). */
export function receiverFacts(raw: readonly ReceiverFile[]): Map<string, ReceiverFacts> {
  const facts = new Map<string, ReceiverFacts>();
  for (const r of raw) {
    const kind: ReceiverKind = r.slack !== undefined ? 'slack' : r.teams !== undefined ? 'teams' : r.webhook !== undefined ? 'webhook' : 'email';
    if (!facts.has(r.name)) facts.set(r.name, { kind, hasTo: (r.email?.to ?? []).length > 0 });
  }
  return facts;
}

function matchersOf(raw: RouteFile): Matcher[] {
  return (raw.matchers ?? []).flatMap((text) => {
    const parsed = parseMatcher(text);
    return parsed.ok ? [parsed.matcher] : []; // the schema has reported the others
  });
}

const seconds = (d: string | undefined): number | null => (d === undefined ? null : parseDuration(d));

function checkReceiver(name: string, path: PathSegment[], receivers: ReadonlyMap<string, ReceiverFacts>, report: Report): void {
  const facts = receivers.get(name);
  if (facts === undefined) {
    report(path, `receiver "${name}" is not defined under receivers:${didYouMean(name, [...receivers.keys()])}`);
  } else if (facts.kind === 'email' && !facts.hasTo) {
    report(path, `email receiver "${name}" has no to: list; a receiver in the route tree writes to admins, so give it their addresses`);
  }
}

function buildNode(
  raw: RouteFile,
  path: PathSegment[],
  inheritedRepeatS: number,
  receivers: ReadonlyMap<string, ReceiverFacts>,
  report: Report,
): RouteNode {
  if (raw.receiver !== undefined) checkReceiver(raw.receiver, [...path, 'receiver'], receivers, report);
  const repeatIntervalS = seconds(raw.repeat_interval);
  const effectiveRepeatS = repeatIntervalS ?? inheritedRepeatS;
  const backoff = raw.repeat_backoff === undefined ? null : { factor: raw.repeat_backoff.factor, maxS: parseDuration(raw.repeat_backoff.max) };
  if (backoff !== null && backoff.maxS < effectiveRepeatS) {
    report([...path, 'repeat_backoff', 'max'], `must be at least the repeat_interval (${formatDuration(effectiveRepeatS)})`);
  }
  return {
    receiver: raw.receiver ?? null,
    matchers: matchersOf(raw),
    groupBy: raw.group_by ?? null,
    groupWaitS: seconds(raw.group_wait),
    groupIntervalS: seconds(raw.group_interval),
    repeatIntervalS,
    repeatBackoff: backoff,
    sendResolved: raw.send_resolved ?? null,
    sendResolvedRules: { ...(raw.send_resolved_rules ?? {}) },
    continue: raw.continue ?? false,
    routes: (raw.routes ?? []).map((child, i) => buildNode(child, [...path, 'routes', i], effectiveRepeatS, receivers, report)),
  };
}

/**
 * The route tree. The root matches every alert: it must name a receiver and may not have matchers or `continue`.
 * Every receiver named must be defined; an email receiver in the tree needs a `to:` list (it writes to admins).
 */
export function buildRoute(raw: RouteFile, receivers: ReadonlyMap<string, ReceiverFacts>, report: Report): RootRoute {
  if (raw.receiver === undefined) report(['route'], 'the root route needs a receiver: every alert that no child route takes goes there');
  if ((raw.matchers ?? []).length > 0) report(['route', 'matchers'], 'the root route matches every alert: it cannot have matchers (put them on a child route)');
  if (raw.continue !== undefined) report(['route', 'continue'], 'the root route cannot have continue (it has no siblings)');
  const node = buildNode(raw, ['route'], seconds(raw.repeat_interval) ?? ROUTE_DEFAULTS.repeatIntervalS, receivers, report);
  return { ...node, receiver: node.receiver ?? '' };
}
