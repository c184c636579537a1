import { SNAPSHOT_BOUNDS, type Mount } from '../../snapshot/schema.ts';
import { parseDockerTime } from './docker-time.ts';
import type { InspectedContainer } from './inspected-container.ts';
import { inspectElementSchema, type InspectElement, type InspectMount } from './inspect-schema.ts';

export type { InspectedContainer } from './inspected-container.ts';

/** Result of parsing `docker inspect` output: good elements and one message per bad one. */
export interface ParsedInspect {
  containers: InspectedContainer[];
  errors: string[];
}

const MAX_ERROR_CHARS = 500;

/**
 * Parses `docker inspect` JSON: the CLI form (array) or the API form (bare object). Each element is
 * validated leniently; a bad element becomes an error naming its index and issue paths, the rest
 * still parse. Never throws.
 */
export function parseDockerInspect(json: unknown): ParsedInspect {
  const elements = Array.isArray(json) ? json : json !== null && typeof json === 'object' ? [json] : null;
  if (elements === null) {
    return { containers: [], errors: [`docker inspect: expected an array or an object, got ${describe(json)}`] };
  }
  const containers: InspectedContainer[] = [];
  const errors: string[] = [];
  elements.forEach((element: unknown, index: number) => {
    const known = typeof element === 'object' && element !== null ? PARSED.get(element) : undefined;
    if (known !== undefined) {
      containers.push(known);
      return;
    }
    try {
      const parsed = inspectElementSchema.safeParse(element);
      if (parsed.success) {
        const container = toContainer(parsed.data);
        if (typeof element === 'object' && element !== null) PARSED.set(element, container);
        containers.push(container);
      } else errors.push(clip(`docker inspect element ${index}: ${formatIssues(parsed.error.issues)}`));
    } catch (error) {
      errors.push(clip(`docker inspect element ${index}: ${error instanceof Error ? error.message : 'unreadable'}`));
    }
  });
  return { containers, errors };
}

/**
 * Containers parsed from inspect documents still alive: the long-running probe hands the same (cached, never
 * modified) document objects to every cycle, so each is validated once. Callers never modify the results.
 */
const PARSED = new WeakMap<object, InspectedContainer>();

function toContainer(e: InspectElement): InspectedContainer {
  const state = typeof e.State === 'object' && e.State !== null ? e.State : null;
  const pid = state?.Pid;
  return {
    id: e.Id.toLowerCase(),
    name: nameOf(e),
    image: nonEmpty(e.Config?.Image) ?? nonEmpty(e.Image),
    state: (nonEmpty(typeof e.State === 'string' ? e.State : state?.Status) ?? 'unknown').toLowerCase(),
    createdAt: parseDockerTime(e.Created),
    startedAt: parseDockerTime(state?.StartedAt),
    finishedAt: parseDockerTime(state?.FinishedAt),
    pid: typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0 && pid <= SNAPSHOT_BOUNDS.maxPid ? pid : null,
    labels: Object.fromEntries(Object.entries(e.Config?.Labels ?? e.Labels ?? {})),
    env: envOf(e.Config?.Env),
    runtime: nonEmpty(e.HostConfig?.Runtime),
    deviceRequests: e.HostConfig?.DeviceRequests ? [...e.HostConfig.DeviceRequests] : null,
    devices: (e.HostConfig?.Devices ?? []).flatMap((d) => {
      const path = nonEmpty(d.PathOnHost);
      return path === null ? [] : [path];
    }),
    cgroupParent: nonEmpty(e.HostConfig?.CgroupParent),
    networkMode: nonEmpty(e.HostConfig?.NetworkMode),
    mounts: (e.Mounts ?? []).map(toMount),
  };
}

function nameOf(e: InspectElement): string {
  const name = nonEmpty(e.Name);
  if (name !== null) return stripSlash(name);
  // List form: linked containers also list "/other/alias" names; prefer the plain one.
  const names = (e.Names ?? []).map(stripSlash).filter((n) => n !== '');
  return names.find((n) => !n.includes('/')) ?? names[0] ?? '';
}

function envOf(env: readonly string[] | null | undefined): Record<string, string> {
  const entries: [string, string][] = [];
  for (const item of env ?? []) {
    const eq = item.indexOf('=');
    if (eq > 0) entries.push([item.slice(0, eq), item.slice(eq + 1)]);
  }
  return Object.fromEntries(entries);
}

function toMount(m: InspectMount): Mount {
  const modes = (m.Mode ?? '').split(',').map((s) => s.trim());
  return {
    type: nonEmpty(m.Type)?.toLowerCase() ?? 'unknown',
    source: nonEmpty(m.Source),
    destination: m.Destination ?? '',
    readOnly: m.RW === false || modes.includes('ro'),
  };
}

function formatIssues(issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }>): string {
  return issues
    .map((issue) => `${issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.')}: ${issue.message}`)
    .join('; ');
}

function nonEmpty(value: string | null | undefined): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function stripSlash(name: string): string {
  return name.startsWith('/') ? name.slice(1) : name;
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

function clip(message: string): string {
  return message.length > MAX_ERROR_CHARS ? `${message.slice(0, MAX_ERROR_CHARS - 1)}…` : message;
}
