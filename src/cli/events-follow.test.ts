// `events --follow` prints page after page: one header, and columns that line up across pages.
import { describe, expect, it } from 'vitest';
import type { GwEvent } from '../events/event.ts';
import { createEventsPrinter } from './events.ts';

function event(over: Partial<GwEvent>): GwEvent {
  return { id: '1', at: '2026-12-03T10:00:00.000Z', type: 'config.reload', details: { summary: 'reloaded' }, ...over } as GwEvent;
}

/** Where the DETAILS column starts on each line. */
function detailsOffsets(text: string, details: readonly string[]): number[] {
  return text.trimEnd().split('\n').map((line, i) => line.indexOf(i === 0 ? 'DETAILS' : (details[i - 1] ?? '?')));
}

describe('createEventsPrinter', () => {
  it('prints the header once and keeps every column where the first page put it, for events up to the usual widths', () => {
    const print = createEventsPrinter();
    const first = print([event({ type: 'config.reload', details: { summary: 'one' } })]);
    const second = print([event({ type: 'notification.failed', host: 'gpu-node-17', user: 'alice.smith', subject: '0b4c3a8e-5f7d-4f3e-9a51-6c2d2a7e9f10', details: { summary: 'two' } })]);
    const third = print([]);
    expect(third).toBe('');
    expect(second).not.toMatch(/^AT/);
    const offsets = detailsOffsets(first + second, ['one', 'two']);
    expect(offsets.every((o) => o > 0)).toBe(true);
    expect(new Set(offsets).size).toBe(1);
  });

  it('widens a column for a longer value and never narrows it again', () => {
    const print = createEventsPrinter();
    const long = 'h'.repeat(40);
    const a = print([event({ host: long, details: { summary: 'first-page' } })]);
    const b = print([event({ host: 'x', details: { summary: 'second-page' } })]);
    const [aOffset] = detailsOffsets(a, ['first-page']).slice(1);
    expect(b.indexOf('second-page')).toBe(aOffset);
  });
});
