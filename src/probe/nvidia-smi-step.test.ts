// The nvidia-smi step with the real command runner and a stand-in nvidia-smi (a shell script replaying a real
// captured MIG XML) that logs each invocation, so the test counts how often `-L` really runs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GPU_LIST_MAX_AGE_MS, readNvidiaSmi, type KeptGpuList } from './nvidia-smi-step.ts';
import { DEFAULT_REDACTION } from './redact/redact-argv.ts';
import { createCommandRunner } from './run-command.ts';

const XML = readFileSync(new URL('../../test/fixtures/nvidia-smi/xml/synthetic__h100-mig-processes.xml', import.meta.url), 'utf8');
const LIST = 'GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-x)\n';

describe('readNvidiaSmi', () => {
  let dir: string;
  let bin: string;
  const calls = (): string[] => readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n');
  const step = (kept: KeptGpuList | null, nowMs = 1_000_000) =>
    readNvidiaSmi(createCommandRunner(), kept, { path: bin, run: { timeoutMs: 5000, maxBufferBytes: 1 << 24 }, redaction: DEFAULT_REDACTION, nowMs });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gw-nvsmi-step-'));
    bin = join(dir, 'nvidia-smi');
    writeFileSync(join(dir, 'q.xml'), XML);
    writeFileSync(join(dir, 'L.txt'), LIST);
    writeFileSync(join(dir, 'calls'), '');
    writeFileSync(bin, `#!/bin/sh\necho "$*" >> '${dir}/calls'\nif [ "$1" = -L ]; then exec cat '${dir}/L.txt'; fi\nexec cat '${dir}/q.xml'\n`, { mode: 0o755 });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs -q -x and -L on the first cycle, then -q -x alone while the GPU layout stays', async () => {
    const first = await step(null);
    expect(calls().sort()).toEqual(['-L', '-q -x']);
    expect(first.kept).not.toBeNull();
    // A reading that changes (utilisation, timestamp) is not a layout change.
    writeFileSync(join(dir, 'q.xml'), XML.replace(/<gpu_util>[^<]*<\/gpu_util>/, '<gpu_util>42 %</gpu_util>'));
    const second = await step(first.kept, 1_030_000);
    expect(calls().sort()).toEqual(['-L', '-q -x', '-q -x']);
    expect(second.reading.list).toEqual({ ok: true, value: LIST });
    expect(second.reading.xml.ok && second.reading.xml.value).toContain('42 %');
    expect(second.kept).toBe(first.kept);
  });

  it('runs -L again when a MIG instance changed', async () => {
    const first = await step(null);
    writeFileSync(join(dir, 'q.xml'), XML.replace(/<gpu_instance_id>(\d+)<\/gpu_instance_id>/, (_, n: string) => `<gpu_instance_id>${Number(n) + 20}</gpu_instance_id>`));
    writeFileSync(join(dir, 'L.txt'), `${LIST}  MIG 1g.10gb Device 0: (UUID: MIG-new)\n`);
    const second = await step(first.kept);
    expect(calls().filter((c) => c === '-L')).toHaveLength(2);
    expect(second.reading.list.ok && second.reading.list.value).toContain('MIG-new');
    expect(second.kept?.layout).not.toBe(first.kept?.layout);
  });

  it('runs -L again once the kept answer is older than the maximum age', async () => {
    const first = await step(null, 0);
    await step(first.kept, GPU_LIST_MAX_AGE_MS - 1);
    expect(calls().filter((c) => c === '-L')).toHaveLength(1);
    const late = await step(first.kept, GPU_LIST_MAX_AGE_MS);
    expect(calls().filter((c) => c === '-L')).toHaveLength(2);
    expect(late.kept?.atMs).toBe(GPU_LIST_MAX_AGE_MS);
  });

  it('runs -L again when the XML failed, and keeps nothing', async () => {
    const first = await step(null);
    writeFileSync(join(dir, 'q.xml'), '<nvidia_smi_log><gpu id="0"><uuid>GP');
    const second = await step(first.kept);
    expect(calls().filter((c) => c === '-L')).toHaveLength(2);
    expect(second.kept).toBeNull();
    expect(second.reading.list.ok).toBe(true);
  });
});
