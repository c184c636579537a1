// The forward between the Worker and a host's Durable Object, without workerd (test/workers/ runs the real binding).
import { describe, expect, it } from 'vitest';
import type { IngestResult, ServiceCore } from '../service/core.ts';
import { forwardingIngest, handleForwardedIngest, type HostWriterNamespace } from './host-writer.ts';
import { validSnapshot } from './test-support.ts';

const RESULT: IngestResult = { accepted: true, alerts: [], actions: [] };

function coreRecording(calls: unknown[][], fail = false): ServiceCore {
  return {
    ingest: async (...args) => {
      calls.push(args);
      if (fail) throw new Error('store is down');
      return RESULT;
    },
    tick: async () => {},
  };
}

/** A namespace whose objects all run handleForwardedIngest on `core`, recording which names were asked for. */
function namespaceOf(core: ServiceCore, names: string[]): HostWriterNamespace {
  return {
    idFromName: (name) => {
      names.push(name);
      return name;
    },
    get: () => ({ fetch: (request) => handleForwardedIngest(request, async () => core) }),
  };
}

describe('host writer forward', () => {
  it('sends the snapshot to the object named after its host, with receive and sent times, and returns its result', async () => {
    const calls: unknown[][] = [];
    const names: string[] = [];
    const ingest = forwardingIngest(namespaceOf(coreRecording(calls), names));
    const snapshot = validSnapshot();
    const sentAt = new Date('2026-11-25T17:19:58Z');
    expect(await ingest(snapshot, new Date('2026-11-25T17:20:00Z'), { sentAt })).toEqual(RESULT);
    expect(names).toEqual(['ds01']);
    expect(calls).toEqual([[snapshot, new Date('2026-11-25T17:20:00Z'), { sentAt }]]);
  });

  it('a failing evaluation in the object becomes an error in the Worker (the app answers 500)', async () => {
    const ingest = forwardingIngest(namespaceOf(coreRecording([], true), []));
    await expect(ingest(validSnapshot(), new Date())).rejects.toThrow('host writer for ds01 failed (500): store is down');
  });

  it('the object answers 404 to anything but POST /ingest', async () => {
    const res = await handleForwardedIngest(new Request('https://host-writer.internal/other'), async () => coreRecording([]));
    expect(res.status).toBe(404);
  });
});

describe('host writer alarm hook', () => {
  it('after an evaluated snapshot the object hears its host (to arm its alarm); not after a failed one', async () => {
    const heard: string[] = [];
    const forward = (core: ServiceCore) => forwardingIngest({ idFromName: (n) => n, get: () => ({ fetch: (r) => handleForwardedIngest(r, async () => core, async (h) => void heard.push(h)) }) });
    await forward(coreRecording([]))(validSnapshot(), new Date());
    await expect(forward(coreRecording([], true))(validSnapshot(), new Date())).rejects.toThrow();
    expect(heard).toEqual(['ds01']);
  });
});
