// SIGTERM a process, wait up to the grace for it to go, and SIGKILL it only if it is still the same process.
import { setTimeout as delay } from 'node:timers/promises';
import type { ProcessTarget } from '../action.ts';
import { processDifference } from './recheck.ts';
import { readProcessIdentity } from './proc-identity.ts';
import type { ActOutcome } from './stop-container.ts';

/** Where /proc is and how to wait and signal; injectable for tests. */
export interface SignalDeps {
  procRoot: string;
  bootTimeSec: number | null;
  /** How often /proc is polled while waiting (default 100 ms). */
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  nowMs?: () => number;
  kill?: (pid: number, signal: NodeJS.Signals) => void;
}

/** How a signal-process is described, done or planned. */
export function signalWords(graceS: number): string {
  return `SIGTERM, SIGKILL after ${graceS} s`;
}

/** The target is the same live process as planned (re-read from /proc). */
async function stillSame(deps: SignalDeps, target: ProcessTarget): Promise<boolean> {
  return processDifference(target, await readProcessIdentity(deps.procRoot, target.pid, deps.bootTimeSec)) === null;
}

/** Send SIGTERM; after `graceS` without exit, SIGKILL (re-checked first); confirm the process is gone. */
export async function signalProcess(target: ProcessTarget, graceS: number, deps: SignalDeps): Promise<ActOutcome> {
  const kill = deps.kill ?? ((pid: number, sig: NodeJS.Signals) => process.kill(pid, sig));
  const sleep = deps.sleep ?? ((ms: number) => delay(ms));
  const nowMs = deps.nowMs ?? Date.now;
  const pollMs = deps.pollMs ?? 100;
  const pid = target.pid;
  try {
    kill(pid, 'SIGTERM');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return { outcome: 'done', detail: `process ${pid} had already exited` };
    return { outcome: 'failed', detail: `could not send SIGTERM to process ${pid}: ${(err as Error).message}` };
  }
  const deadlineMs = nowMs() + graceS * 1000;
  while (nowMs() < deadlineMs) {
    if (!(await stillSame(deps, target))) return { outcome: 'done', detail: `process ${pid} exited on SIGTERM` };
    await sleep(Math.min(pollMs, Math.max(1, deadlineMs - nowMs())));
  }
  if (!(await stillSame(deps, target))) return { outcome: 'done', detail: `process ${pid} exited on SIGTERM` };
  try {
    kill(pid, 'SIGKILL');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return { outcome: 'done', detail: `process ${pid} exited on SIGTERM` };
    return { outcome: 'failed', detail: `could not send SIGKILL to process ${pid}: ${(err as Error).message}` };
  }
  for (let i = 0; i < 50; i += 1) {
    if (!(await stillSame(deps, target))) return { outcome: 'done', detail: `process ${pid} ignored SIGTERM for ${graceS} s and was killed with SIGKILL` };
    await sleep(pollMs);
  }
  return { outcome: 'failed', detail: `process ${pid} is still there after SIGKILL` };
}
