/** Counts event-loop iterations: a setImmediate that queues itself again runs once per check phase. */
export function loopIterations(): { now: () => number; stop: () => void } {
  let n = 0;
  let running = true;
  const step = (): void => {
    n += 1;
    if (running) setImmediate(step);
  };
  setImmediate(step);
  return {
    now: () => n,
    stop: () => {
      running = false;
    },
  };
}
