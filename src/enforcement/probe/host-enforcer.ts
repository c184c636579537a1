// The real Enforcer: re-reads targets through the Docker Engine API and /proc, and acts through dockerode,
// process.kill and the person's terminals. Every path is injectable for tests.
import { DEFAULT_BUILD_OPTIONS } from '../../probe/build-snapshot.ts';
import { classifyContainer } from '../../probe/docker/classify.ts';
import { LABEL_AIME_USER, LABEL_DS01_USER } from '../../probe/docker/label-keys.ts';
import { parsePasswdLine } from '../../probe/proc/parse-passwd.ts';
import { createUserResolver } from '../../probe/proc/users.ts';
import type { PlannedAction } from '../action.ts';
import { readBootTimeSec } from './proc-identity.ts';
import { recheckContainer, recheckProcess } from './recheck.ts';
import type { Enforcer, RecheckResult } from './runner.ts';
import { signalProcess } from './signal-process.ts';
import { stopContainer, type ActOutcome } from './stop-container.ts';
import { warnUser } from './warn-terminals.ts';

/** Where the host's parts are. */
export interface HostEnforcerOptions {
  /** Docker Engine socket; null when the probe runs with --no-docker. */
  dockerSocketPath: string | null;
  procRoot: string;
  devRoot: string;
  /** The uid of a login name (default: NSS via getent, then /etc/passwd). */
  uidOfUser?: (name: string) => Promise<number | null>;
  /** Only character devices count as terminals (default true). */
  charDevicesOnly?: boolean;
  /** /proc poll interval while waiting for a signalled process (default 100 ms). */
  pollMs?: number;
}

function defaultUidOfUser(): (name: string) => Promise<number | null> {
  const resolver = createUserResolver();
  return async (name) => {
    const found = await resolver.lookupNames([name]);
    for (const line of found.lines) {
      const entry = parsePasswdLine(line);
      if (entry !== null && entry.name === name) return entry.uid;
    }
    return null;
  };
}

/** The Enforcer for this host. */
export function createHostEnforcer(options: HostEnforcerOptions): Enforcer {
  let bootTimeSec: Promise<number | null> | null = null;
  const boot = (): Promise<number | null> => (bootTimeSec ??= readBootTimeSec(options.procRoot));
  let uidOfUser = options.uidOfUser;
  const socket = (): string => {
    if (options.dockerSocketPath === null) throw new Error('the probe runs without Docker (--no-docker)');
    return options.dockerSocketPath;
  };

  async function recheck(action: PlannedAction): Promise<RecheckResult> {
    const t = action.target;
    if (t.kind === 'container') {
      const r = await recheckContainer(socket(), t);
      if (!r.ok) return r;
      const live = r.live;
      const cls = classifyContainer(live, DEFAULT_BUILD_OPTIONS);
      const users = [live.labels[LABEL_DS01_USER], live.labels[LABEL_AIME_USER]].filter((u): u is string => typeof u === 'string' && u !== '');
      return {
        ok: true,
        facts: { containerName: live.name, containerLabels: live.labels, containerClass: cls.class, containerProtected: cls.protected, users },
        mounts: live.mounts,
      };
    }
    const r = await recheckProcess(options.procRoot, await boot(), t);
    return r.ok ? { ok: true, facts: { processUid: r.live.uid } } : r;
  }

  async function warn(action: PlannedAction): Promise<ActOutcome> {
    const t = action.target;
    let uid = t.kind === 'process' ? t.uid : null;
    const user = action.user ?? (uid === null ? null : `uid ${uid}`);
    if (uid === null && action.user !== null) {
      uidOfUser ??= defaultUidOfUser();
      uid = await uidOfUser(action.user);
    }
    if (uid === null || user === null) return { outcome: 'failed', detail: `no account found for ${action.user ?? 'the target'}` };
    const roots = { procRoot: options.procRoot, devRoot: options.devRoot, charDevicesOnly: options.charDevicesOnly ?? true };
    return warnUser(roots, user, uid, action.params.message ?? action.reason.summary);
  }

  async function act(action: PlannedAction, graceS: number): Promise<ActOutcome> {
    const t = action.target;
    switch (action.type) {
      case 'stop-container':
        if (t.kind !== 'container') return { outcome: 'failed', detail: 'stop-container needs a container target' };
        return stopContainer(socket(), t.containerId, t.name, graceS, action.params.remove === true);
      case 'signal-process':
        if (t.kind !== 'process') return { outcome: 'failed', detail: 'signal-process needs a process target' };
        return signalProcess(t, graceS, { procRoot: options.procRoot, bootTimeSec: await boot(), ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }) });
      case 'warn':
        return warn(action);
    }
  }

  return { recheck, act };
}
