// Test helpers: alerts and the message groups behind the golden payloads in test/fixtures/notify/.
import type { Alert } from '../alerts/alert.ts';
import type { MessageGroup, NotifiedAlert, NotifyReason } from './types.ts';
import type { RenderOptions } from './render/view.ts';

/** A fixed evidence time for every sample. */
export const T0 = '2026-11-25T17:17:49.467Z';

/** An alert with plausible defaults; labels and annotations replace the defaults wholesale when given. */
export function sampleAlert(over: Partial<Alert> & Pick<Alert, 'rule'>): Alert {
  return {
    fingerprint: `fp-${over.rule}-${JSON.stringify(over.labels ?? {}).length}`,
    host: 'ds01',
    severity: 'warning',
    stage: null,
    labels: { host: over.host ?? 'ds01' },
    annotations: { summary: `${over.rule} fired`, description: '' },
    notify: ['owner'],
    state: 'firing',
    activeSince: '2026-11-25T16:02:10.000Z',
    firedAt: '2026-11-25T16:32:10.000Z',
    resolvedAt: null,
    lastMatchedAt: T0,
    updatedAt: T0,
    ...over,
  };
}

const USER = 'h.baker@hertie-school.lan';
const CONTAINER = '0cef9fc5a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c';
// The texts below are what rules/idle-gpu-container.json and max-runtime.json render (rules-golden.test.ts checks those).
const IDLE_DESCRIPTION =
  'At 1 h idle the limit is reached, and an administrator may then stop the container to free its GPU for others. To keep it, use its GPU. Done with it? Save your work and remove the container.';
const IDLE_LIMIT_DESCRIPTION =
  'The idle limit is reached; an administrator may stop this container to free its GPU for others. Save your work now. To keep it, use its GPU; done with it? Remove the container.';

/** idle-gpu-container for h.baker's `train` container at the given stage. */
export function idleAlert(stage: 'base' | 'final' | 'limit', over: Partial<Alert> = {}): Alert {
  const idle = { base: '48 min', final: '57 min', limit: '1 h' }[stage];
  const summary =
    stage === 'limit'
      ? `Container train of ${USER} has reached its idle limit: GPU idle for ${idle} (limit 1 h)`
      : `Container train of ${USER} has left its GPU idle for ${idle} of its 1 h idle limit`;
  return sampleAlert({
    rule: 'idle-gpu-container',
    severity: stage === 'limit' ? 'critical' : 'warning',
    stage: stage === 'base' ? null : stage,
    labels: { host: 'ds01', container: CONTAINER, containerName: 'train', user: USER },
    annotations: { summary, description: stage === 'limit' ? IDLE_LIMIT_DESCRIPTION : IDLE_DESCRIPTION },
    ...over,
  });
}

const notified = (alert: Alert, reason: NotifyReason = 'firing'): NotifiedAlert => ({ alert, reason });

function userGroup(alerts: NotifiedAlert[], extra: Partial<MessageGroup> = {}): MessageGroup {
  return { receiver: 'owner', audience: 'user', user: USER, groupKey: `owner/${USER}`, groupLabels: { user: USER }, alerts, ...extra };
}

/** The message kinds with a golden payload. */
export type GoldenKind =
  | 'user-firing'
  | 'user-limit-reached'
  | 'user-resolved'
  | 'admin-group'
  | 'admin-stale'
  | 'admin-source-unavailable'
  | 'test-message'
  | 'truncated-60';

/** The group and render options of each golden kind. */
export function goldenSamples(): Record<GoldenKind, { group: MessageGroup; options: RenderOptions }> {
  const quota = sampleAlert({
    rule: 'gpu-quota',
    severity: 'info',
    labels: { host: 'ds01', user: USER },
    annotations: {
      summary: `${USER} holds 1.71 of 2 GPU-equivalents on ds01`,
      description: 'GPU quota of group student: 2 GPU-equivalents (a full GPU is 1, a MIG slice its share of 7). Stopped containers keep their GPUs until removed: remove containers you no longer need.',
    },
  });
  const runtime = sampleAlert({
    rule: 'max-runtime',
    severity: 'critical',
    stage: 'limit',
    labels: { host: 'ds01', container: CONTAINER, containerName: 'train', user: USER },
    annotations: {
      summary: `Container train of ${USER} has reached its runtime limit: running for 1 d (limit 1 d)`,
      description: 'The runtime limit is reached; an administrator may stop this container. Save checkpoints now; to continue, start a new container, or ask an admin for a runtime exemption.',
    },
  });
  const admins = (alerts: NotifiedAlert[], extra: Partial<MessageGroup> = {}): MessageGroup => ({
    receiver: 'admins',
    audience: 'admin',
    user: null,
    groupKey: 'admins/{host="ds01"}',
    groupLabels: { host: 'ds01' },
    alerts,
    serviceUrl: 'https://gpuwarden.example.org/',
    ...extra,
  });
  const unmanaged = sampleAlert({
    rule: 'unmanaged-gpu-container',
    severity: 'critical',
    stage: 'all-gpus',
    labels: { host: 'ds01', container: 'deadbeef00112233445566778899aabbccddeeff00112233445566778899aabb', containerName: '<script>alert("x")</script>', user: 'man' },
    annotations: {
      summary: `Container <script>alert("x")</script> (man) has GPU access outside DS01's management`,
      description: 'GPU containers must be created through DS01 so the allocator can account for them. This one was started with access to every GPU (--gpus all).',
    },
  });
  const untracked = sampleAlert({
    rule: 'untracked-host-gpu-process',
    labels: { host: 'ds01', pid: '32185', gpu: 'MIG-00000000-0000-0000-0000-000000000002', user: 'daemon' },
    annotations: { summary: 'daemon runs node (pid 32185) on GPU 0 · MIG 3g.40gb outside any container on ds01', description: 'Run GPU work in a container, or ask an admin for bare-metal access.' },
  });
  const temperature = sampleAlert({
    rule: 'gpu-temperature',
    labels: { host: 'ds01', gpu: 'GPU-00000000-0000-0000-0000-000000000001', gpuIndex: '1' },
    annotations: { summary: 'GPU 1 on ds01 at 87 °C', description: 'Sustained high temperature throttles jobs and shortens hardware life. Check cooling.' },
    notify: ['admins'],
  });
  const resolvedWaste = sampleAlert({
    rule: 'gpu-waste',
    state: 'resolved',
    resolvedAt: '2026-11-25T17:15:00.000Z',
    labels: { host: 'ds01', gpu: 'GPU-00000000-0000-0000-0000-000000000003', gpuIndex: '3' },
    annotations: { summary: 'GPU 3 on ds01 is allocated but only 2% busy', description: 'An allocated GPU below 5% utilisation for 30 minutes is wasted capacity.' },
  });
  const dockerDown = { since: '2026-11-25T17:05:31.000Z', sources: ['docker'] };
  const staleIdle = idleAlert('final', { notify: ['owner', 'admins'], stale: dockerDown });
  const staleUntracked = sampleAlert({
    rule: 'untracked-host-gpu-process',
    fingerprint: 'fp-untracked-stale',
    labels: { host: 'ds01', pid: '4242', gpu: 'GPU-00000000-0000-0000-0000-000000000000', user: USER },
    annotations: { summary: `${USER} runs python3 (pid 4242) on GPU 0 outside any container on ds01`, description: 'Run GPU work in a container, or ask an admin for bare-metal access.' },
    stale: { since: '2026-11-25T17:06:02.000Z', sources: ['docker', 'proc'] },
  });
  const untrackedEnd = idleAlert('final', {
    state: 'resolved',
    resolvedAt: '2026-11-25T17:35:31.000Z',
    resolvedReason: 'source-unavailable',
    stale: dockerDown,
  });
  const many = Array.from({ length: 60 }, (_, i) =>
    notified(
      sampleAlert({
        rule: 'unowned-container',
        fingerprint: `fp-unowned-${i}`,
        labels: { host: 'ds01', container: `${String(i).padStart(4, '0')}${'ab'.repeat(30)}`, containerName: `job-${i}` },
        annotations: { summary: `Container job-${i} on ds01 has no identifiable owner`, description: "Unowned containers get the strict 'unknown' limits." },
      }),
    ),
  );
  return {
    'user-firing': { group: userGroup([notified(quota), notified(idleAlert('base'))]), options: { mention: 'U024BE7LH', contact: '#ds01-help on Slack' } },
    'user-limit-reached': { group: userGroup([notified(runtime, 'escalated')]), options: { mention: 'U024BE7LH' } },
    'user-resolved': {
      group: userGroup([notified(idleAlert('final', { state: 'resolved', resolvedAt: '2026-11-25T17:10:00.000Z' }), 'resolved')]),
      options: { mention: null },
    },
    'admin-group': {
      group: admins([notified(temperature, 'repeat'), notified(unmanaged, 'escalated'), notified(untracked), notified(resolvedWaste, 'resolved')]),
      options: {},
    },
    'admin-stale': { group: admins([notified(staleIdle, 'repeat'), notified(staleUntracked, 'repeat')]), options: {} },
    'admin-source-unavailable': { group: admins([notified(untrackedEnd, 'resolved')]), options: {} },
    'test-message': {
      group: admins(
        [notified(sampleAlert({ rule: 'notify-test', severity: 'info', annotations: { summary: 'Test notification from gpuwarden', description: 'If you can read this, the receiver works.' } }))],
        { receiver: 'ops-slack', groupKey: 'ops-slack/test', groupLabels: {}, test: true },
      ),
      options: {},
    },
    'truncated-60': { group: admins(many), options: {} },
  };
}
