import type { Store } from '../store/store.ts';
import type { IngestResult, ServiceCore } from './core.ts';

/**
 * A real but trivial ServiceCore: ingest stores the snapshot (idempotent on host + id) and records when the host was
 * last seen; no rules, no alerts; tick does nothing. Used until the evaluating core is wired in, and by the workerd
 * smoke test. Imports nothing runtime-specific.
 */
export function createStoreOnlyCore(store: Store): ServiceCore {
  return {
    async ingest(snapshot, receivedAt): Promise<IngestResult> {
      const receivedIso = receivedAt.toISOString();
      const result = await store.putSnapshot({
        host: snapshot.host,
        snapshotId: snapshot.id,
        takenAt: snapshot.takenAt,
        receivedAt: receivedIso,
        body: JSON.stringify(snapshot),
      });
      if (result === 'inserted') {
        const previous = await store.getHost(snapshot.host);
        const lastTakenAt =
          previous !== null && Date.parse(previous.lastTakenAt) > Date.parse(snapshot.takenAt) ? previous.lastTakenAt : snapshot.takenAt;
        await store.commitEvaluation({
          hostRecord: { host: snapshot.host, lastSeenAt: receivedIso, lastTakenAt, tracked: previous?.tracked ?? '{}' },
          upsert: [],
          remove: [],
        });
      }
      return { accepted: result === 'inserted', alerts: [], actions: [] };
    },
    async tick(): Promise<void> {},
  };
}
