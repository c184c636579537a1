import { describe, expect, it } from 'vitest';
import { at, sampleLogEntry, sampleOutboxItem } from '../contract-outbox.test-suite.ts';
import { MemoryOutbox } from './outbox-state.ts';

describe('MemoryOutbox.stage', () => {
  it('changes nothing until the returned function runs', () => {
    const outbox = new MemoryOutbox();
    const apply = outbox.stage([sampleOutboxItem()], [sampleLogEntry()]);
    expect(outbox.due(at(0), 10)).toEqual([]);
    expect(outbox.list({})).toEqual([]);
    apply();
    expect(outbox.due(at(0), 10)).toHaveLength(1);
    expect(outbox.list({})).toHaveLength(1);
  });

  it('throws before staging anything when one record is bad', () => {
    const outbox = new MemoryOutbox();
    expect(() => outbox.stage([sampleOutboxItem(), sampleOutboxItem({ id: 'o-2', dedupKey: 'k', attempts: -1 })], [])).toThrow(/attempts/);
    expect(() => outbox.stage([sampleOutboxItem({ id: 'a', dedupKey: 'k1' }), sampleOutboxItem({ id: 'a', dedupKey: 'k2' })], [])).toThrow(
      'outbox item a: id is already used (UNIQUE).',
    );
    expect(outbox.due(at(0), 10)).toEqual([]);
  });

  it('skips the duplicate key before looking at its id (a repeat of a queued item is not an error)', () => {
    const outbox = new MemoryOutbox();
    outbox.stage([sampleOutboxItem()], [])();
    expect(() => outbox.stage([sampleOutboxItem()], [])()).not.toThrow();
    expect(outbox.due(at(0), 10)).toHaveLength(1);
  });

  it('copies what it keeps', () => {
    const outbox = new MemoryOutbox();
    const item = sampleOutboxItem();
    outbox.stage([item], [])();
    item.payload = 'changed';
    const [due] = outbox.due(at(0), 10);
    expect(due?.payload).toBe(sampleOutboxItem().payload);
  });
});

describe('MemoryOutbox.complete and retry', () => {
  it('frees the id of a completed item for a new key, but never its key', () => {
    const outbox = new MemoryOutbox();
    outbox.stage([sampleOutboxItem({ id: 'a', dedupKey: 'k' })], [])();
    outbox.complete([{ id: 'a', entry: sampleLogEntry({ id: 'l1', status: 'sent' }) }]);
    outbox.stage([sampleOutboxItem({ id: 'a', dedupKey: 'k' }), sampleOutboxItem({ id: 'a', dedupKey: 'k2' })], [])();
    expect(outbox.due(at(0), 10).map((i) => i.dedupKey)).toEqual(['k2']);
  });

  it('retries by bumping attempts on a copy', () => {
    const outbox = new MemoryOutbox();
    outbox.stage([sampleOutboxItem({ id: 'a' })], [])();
    const [before] = outbox.due(at(0), 10);
    outbox.retry([{ id: 'a', nextAttemptAt: at(1), entry: sampleLogEntry({ id: 'r', status: 'retried' }) }]);
    expect(before?.attempts).toBe(0);
    expect(outbox.due(at(1), 10)[0]).toMatchObject({ attempts: 1, nextAttemptAt: at(1) });
  });
});

describe('MemoryOutbox.list', () => {
  const seeded = (): MemoryOutbox => {
    const outbox = new MemoryOutbox();
    outbox.stage([], [
      sampleLogEntry({ id: 'a', at: at(1), receiver: 'admins', fingerprints: ['fp-1'] }),
      sampleLogEntry({ id: 'b', at: at(1), receiver: 'user:alice', fingerprints: ['fp-1', 'fp-2'] }),
      sampleLogEntry({ id: 'c', at: at(0), receiver: 'admins', fingerprints: ['fp-2'] }),
    ])();
    return outbox;
  };

  it('orders by at, newest first, then the latest appended', () => {
    expect(seeded().list({}).map((e) => e.id)).toEqual(['b', 'a', 'c']);
  });

  it('filters on whole fingerprints and receivers, since inclusive', () => {
    const outbox = seeded();
    expect(outbox.list({ fingerprint: 'fp-2' }).map((e) => e.id)).toEqual(['b', 'c']);
    expect(outbox.list({ fingerprint: 'fp' }).map((e) => e.id)).toEqual([]);
    expect(outbox.list({ receiver: 'admins', since: at(1) }).map((e) => e.id)).toEqual(['a']);
  });

  it('returns copies', () => {
    const outbox = seeded();
    outbox.list({})[0]?.fingerprints.push('x');
    expect(outbox.list({})[0]?.fingerprints).toEqual(['fp-1', 'fp-2']);
  });
});

describe('MemoryOutbox.complete with a bad entry', () => {
  it('changes nothing: the item stays queued and nothing is logged', () => {
    const outbox = new MemoryOutbox();
    outbox.stage([sampleOutboxItem({ id: 'a' })], [sampleLogEntry({ id: 'used' })])();
    expect(() => outbox.complete([{ id: 'a', entry: sampleLogEntry({ id: 'x', at: 'not a time' }) }])).toThrow(/at must be an ISO time/);
    expect(() => outbox.complete([{ id: 'a', entry: sampleLogEntry({ id: 'used' }) }])).toThrow('notification log entry used: id is already used (UNIQUE).');
    expect(outbox.due(at(0), 10).map((i) => i.id)).toEqual(['a']);
    expect(outbox.list({}).map((e) => e.id)).toEqual(['used']);
  });
});
