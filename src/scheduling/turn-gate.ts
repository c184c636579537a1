/**
 * Bounded synchronous work per event-loop turn. Each caller awaits `turn()` before a chunk of synchronous work
 * (one snapshot's evaluation); the gate lets at most `perIteration` callers through per loop iteration, so between
 * those chunks the loop polls for I/O and a burst of 1,000 snapshots cannot keep /healthz or any other request
 * waiting behind it. (More than one per iteration keeps SQLite's group commit: one fsync for the chunks of a turn.)
 */
export interface TurnGate {
  /** Resolves when this caller's chunk may run: in a later loop iteration than the previous caller's. */
  turn(): Promise<void>;
  /** Callers waiting now. */
  readonly waiting: number;
}

/** setImmediate where the runtime has it (Node); a zero timer elsewhere (workerd without node:timers). */
const nextMacrotask: (fn: () => void) => void =
  typeof globalThis.setImmediate === 'function' ? (fn) => globalThis.setImmediate(fn) : (fn) => setTimeout(fn, 0);

/** A gate that grants `perIteration` callers (default 4) per loop iteration, in arrival order. */
export function createTurnGate(perIteration = 4): TurnGate {
  const queue: Array<() => void> = [];
  let pumping = false;
  // Runs in the check phase; the granted chunk runs right after this callback (microtasks), and the next grant
  // is queued with setImmediate, i.e. after the next poll phase.
  const pump = (): void => {
    if (queue.length === 0) {
      pumping = false;
      return;
    }
    nextMacrotask(pump);
    for (const next of queue.splice(0, perIteration)) next();
  };
  return {
    turn: () =>
      new Promise<void>((resolve) => {
        queue.push(resolve);
        if (!pumping) {
          pumping = true;
          nextMacrotask(pump);
        }
      }),
    get waiting() {
      return queue.length;
    },
  };
}

/** Resolves in the check phase (after this turn's I/O callbacks); two in a row always let a poll for I/O in between. */
export function yieldToIo(): Promise<void> {
  return new Promise<void>((resolve) => nextMacrotask(resolve));
}
