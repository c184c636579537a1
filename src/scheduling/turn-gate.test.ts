import { describe, expect, it } from 'vitest';
import { loopIterations } from '../../test/support/loop-iterations.ts';
import { createTurnGate } from './turn-gate.ts';

describe('createTurnGate', () => {
  it('lets perIteration callers through per loop iteration, in arrival order', async () => {
    const gate = createTurnGate(3);
    const loop = loopIterations();
    const grants: { caller: number; iteration: number }[] = [];
    await Promise.all(Array.from({ length: 20 }, (_, caller) => gate.turn().then(() => grants.push({ caller, iteration: loop.now() }))));
    loop.stop();
    expect(grants.map((g) => g.caller)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const perIteration = new Map<number, number>();
    for (const g of grants) perIteration.set(g.iteration, (perIteration.get(g.iteration) ?? 0) + 1);
    expect([...perIteration.values()]).toEqual([3, 3, 3, 3, 3, 3, 2]);
  });

  it('lets I/O in between two chunks: a timer due before the second grant runs before it', async () => {
    const gate = createTurnGate(1);
    const order: string[] = [];
    const first = gate.turn().then(() => {
      order.push('chunk 1');
      setTimeout(() => order.push('timer'), 0);
      const until = performance.now() + 3; // the chunk's synchronous work, long enough for the timer to be due
      while (performance.now() < until);
    });
    const second = gate.turn().then(() => order.push('chunk 2'));
    await Promise.all([first, second]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(order).toEqual(['chunk 1', 'timer', 'chunk 2']);
  });

  it('counts waiting callers and is reusable after it drains', async () => {
    const gate = createTurnGate();
    const a = gate.turn();
    const b = gate.turn();
    expect(gate.waiting).toBe(2);
    await Promise.all([a, b]);
    expect(gate.waiting).toBe(0);
    await gate.turn();
    expect(gate.waiting).toBe(0);
  });
});
