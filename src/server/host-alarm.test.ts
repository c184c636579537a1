// The host's alarm without workerd (test/workers/ runs it in the real HostWriter object).
import { describe, expect, it } from 'vitest';
import { createHostAlarm, type AlarmStorage } from './host-alarm.ts';

const INTERVAL_MS = 30_000;

/** Durable Object storage in memory, with the alarm as a field and every write counted. */
function memoryStorage(): AlarmStorage & { alarm: number | null; values: Map<string, unknown>; writes: number } {
  const values = new Map<string, unknown>();
  const s = {
    alarm: null as number | null,
    values,
    writes: 0,
    get: async (key: string) => values.get(key),
    put: async (key: string, value: unknown) => {
      s.writes += 1;
      values.set(key, value);
    },
    setAlarm: async (at: number) => {
      s.writes += 1;
      s.alarm = at;
    },
  };
  return s;
}

describe('host alarm', () => {
  it('each snapshot moves the alarm two intervals ahead; the host name is stored once', async () => {
    const storage = memoryStorage();
    let now = 1_000_000;
    const alarm = createHostAlarm(storage, INTERVAL_MS, () => {}, () => now);
    await alarm.afterIngest('ds01');
    expect(storage.alarm).toBe(1_000_000 + 2 * INTERVAL_MS);
    now += INTERVAL_MS;
    await alarm.afterIngest('ds01');
    expect(storage.alarm).toBe(now + 2 * INTERVAL_MS);
    expect(storage.values.get('host')).toBe('ds01');
    expect(storage.writes).toBe(3);
  });

  it('the alarm ticks the stored host (a fresh object reads it back) and wakes again one interval later', async () => {
    const storage = memoryStorage();
    await createHostAlarm(storage, INTERVAL_MS, () => {}, () => 0).afterIngest('ds01');
    const ticked: string[] = [];
    await createHostAlarm(storage, INTERVAL_MS, () => {}, () => 5_000_000).ring(async (host) => (ticked.push(host), true));
    expect(ticked).toEqual(['ds01']);
    expect(storage.alarm).toBe(5_000_000 + INTERVAL_MS);
  });

  it('stops waking once the host is unknown, and does nothing in an object that never saw a snapshot', async () => {
    const storage = memoryStorage();
    const alarm = createHostAlarm(storage, INTERVAL_MS, () => {}, () => 0);
    const ticked: string[] = [];
    await alarm.ring(async (host) => (ticked.push(host), true));
    expect([ticked, storage.alarm]).toEqual([[], null]);
    await alarm.afterIngest('ds01');
    storage.alarm = null; // the runtime deletes an alarm as it runs it
    await alarm.ring(async () => false);
    expect(storage.alarm).toBeNull();
  });

  it('a failing tick is logged (escaped) and the alarm is set again: one store outage does not end the checks', async () => {
    const storage = memoryStorage();
    const logs: string[] = [];
    const alarm = createHostAlarm(storage, INTERVAL_MS, (line) => logs.push(line), () => 7);
    await alarm.afterIngest('ds01');
    storage.alarm = null;
    await alarm.ring(async () => {
      throw new Error('D1 is down\nforged line');
    });
    expect(logs).toEqual(['ds01: host tick failed: D1 is down\\nforged line']);
    expect(storage.alarm).toBe(7 + INTERVAL_MS);
  });
});
