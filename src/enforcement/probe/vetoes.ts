// The probe's local vetoes: things this host never lets enforcement touch, whatever the service asks. Pure.
import { LABEL_DS01_MONITORING, LABEL_DS01_PROTECTED } from '../../probe/docker/label-keys.ts';
import type { PlannedAction } from '../action.ts';
import type { EnforcementSettings } from './settings.ts';

/** Below this uid an account is a system account (Debian/Ubuntu's first regular uid is 1000). */
export const FIRST_REGULAR_UID = 1000;

/** What is known about an action's target (from the action, the latest snapshot, or a live re-read); absent = unknown. */
export interface TargetFacts {
  /** Container name (without "/"). */
  containerName?: string;
  containerLabels?: Readonly<Record<string, string>>;
  /** The snapshot's `protected` flag of the container. */
  containerProtected?: boolean;
  /** The snapshot's container class. */
  containerClass?: string;
  /** The snapshot's gpuProcess `system` flag. */
  processSystem?: boolean;
  processUid?: number | null;
  /** Other people the target belongs to (a container's owner, a process's user). */
  users?: readonly string[];
}

/** True when `name` matches the glob (`*` any run of characters, `?` one character) or equals it. */
export function nameMatches(glob: string, name: string): boolean {
  if (glob === name) return true;
  const pattern = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${pattern}$`, 's').test(name);
}

function labelTrue(labels: Readonly<Record<string, string>> | undefined, key: string): boolean {
  return labels?.[key]?.trim().toLowerCase() === 'true';
}

/** Why the probe's local rules forbid this action on this target, or null when none does. */
export function vetoOf(action: PlannedAction, facts: TargetFacts, settings: EnforcementSettings): string | null {
  const users = [action.user, ...(facts.users ?? [])].filter((u): u is string => typeof u === 'string' && u !== '');
  const exempt = users.find((u) => settings.exemptUsers.has(u));
  if (exempt !== undefined) return `vetoed by the probe: user ${exempt} is in exempt_users`;
  if (action.type === 'warn') return null; // a message harms no container or process
  const name = facts.containerName ?? (action.target.kind === 'container' ? action.target.name : undefined);
  if (labelTrue(facts.containerLabels, LABEL_DS01_PROTECTED)) return `vetoed by the probe: container ${name ?? '?'} has the label ${LABEL_DS01_PROTECTED}=true`;
  if (labelTrue(facts.containerLabels, LABEL_DS01_MONITORING)) return `vetoed by the probe: container ${name ?? '?'} has the label ${LABEL_DS01_MONITORING}=true`;
  if (facts.containerClass === 'infrastructure') return `vetoed by the probe: container ${name ?? '?'} is infrastructure`;
  if (facts.containerProtected === true) return `vetoed by the probe: container ${name ?? '?'} is protected`;
  if (name !== undefined) {
    const glob = settings.protectedNames.find((g) => nameMatches(g, name));
    if (glob !== undefined) return `vetoed by the probe: container ${name} matches protected_names "${glob}"`;
  }
  if (action.target.kind === 'process') {
    if (facts.processSystem === true) return `vetoed by the probe: process ${action.target.pid} is a system process`;
    const uids = [action.target.uid, facts.processUid].filter((u): u is number => typeof u === 'number');
    const low = uids.find((u) => u < FIRST_REGULAR_UID);
    if (low !== undefined) return `vetoed by the probe: process ${action.target.pid} runs as uid ${low} (below ${FIRST_REGULAR_UID}: a system account)`;
  }
  return null;
}
