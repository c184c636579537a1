// On Workers each host's part of the tick (its rules on time alone: host silent) runs in that host's HostWriter
// Durable Object, from the object's alarm. The object's core evaluates the host's snapshots too, and its per-host
// queue puts the tick and the snapshots in one line, so neither overwrites the other's alert update.
//
// Why an alarm rather than the cron asking each object to tick: that is one subrequest per host per cron run (1,000
// hosts, 1,000 subrequests a minute from one invocation, past the Workers limit), and a cron that is late or fails
// stops every host's silence check at once. An alarm is the object's own invocation and is retried by the runtime.
// A host that reports every interval moves its alarm forward with each snapshot, so its object only wakes once the
// host has missed snapshots; from then on it wakes every interval while the host exists. The cron keeps what spans
// hosts: expired actions, repeats of firing alerts, delivery.
//
// An object arms its alarm on its host's first snapshot evaluated by a version with this file: a host that had
// already stopped reporting before that deployment is not watched until it reports again.
import { logText } from '../service/log-text.ts';

/** The parts of DurableObjectStorage the alarm uses. */
export interface AlarmStorage {
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
  setAlarm(scheduledTimeMs: number): Promise<void>;
}

/** When a host's object wakes to tick its host, and what it does then. */
export interface HostAlarm {
  /** After a snapshot of `host` was evaluated: remember the host, and move the alarm two probe intervals ahead. */
  afterIngest(host: string): Promise<void>;
  /** The alarm: tick the host (`tickHost`: false when the host is unknown), and wake again one interval later while it exists. */
  ring(tickHost: (host: string) => Promise<boolean>): Promise<void>;
}

/** Storage key of the host name (a Durable Object does not know the name it was addressed by). */
const HOST_KEY = 'host';

/**
 * The alarm of one host's object. `probeIntervalMs` is the interval the probes report at; `nowMs` the real clock
 * (alarms are set in real time, whatever clock the core is given).
 */
export function createHostAlarm(storage: AlarmStorage, probeIntervalMs: number, log: (line: string) => void, nowMs: () => number = Date.now): HostAlarm {
  let known: string | null = null;
  return {
    async afterIngest(host) {
      if (known !== host) {
        await storage.put(HOST_KEY, host);
        known = host;
      }
      // Two intervals: a probe a little late (its cycle takes time) does not wake the object before its snapshot.
      await storage.setAlarm(nowMs() + 2 * probeIntervalMs);
    },

    async ring(tickHost) {
      const stored = known ?? (await storage.get(HOST_KEY));
      if (typeof stored !== 'string') return; // no snapshot of this object's host yet: nothing to tick
      known = stored;
      let exists = true;
      try {
        exists = await tickHost(stored);
      } catch (err) {
        // Re-armed all the same: one failed tick (a store outage) must not end the host's silence checks.
        log(`${logText(stored)}: host tick failed: ${logText(err instanceof Error ? err.message : String(err))}`);
      }
      if (exists) await storage.setAlarm(nowMs() + probeIntervalMs);
    },
  };
}
