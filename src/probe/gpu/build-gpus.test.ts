import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gpuSchema, type Gpu } from '../../snapshot/schema.ts';
import { buildGpus, type BuildGpusResult } from './build-gpus.ts';
import { parseNvidiaSmiList } from './parse-list.ts';
import { parseNvidiaSmiXml } from './parse-xml.ts';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/nvidia-smi/', import.meta.url));
const xmlOf = (name: string) => parseNvidiaSmiXml(readFileSync(join(FIXTURES, 'xml', name), 'utf8'));
const listOf = (name: string) => parseNvidiaSmiList(readFileSync(join(FIXTURES, 'list', name), 'utf8'));
const MIG = (n: number): string => `MIG-0000000${n}-0000-0000-0000-00000000000${n}`;

function expectValidGpus(result: BuildGpusResult): Gpu[] {
  for (const gpu of result.gpus) expect(gpuSchema.parse(gpu)).toEqual(gpu);
  return result.gpus;
}

describe('XML joined with nvidia-smi -L', () => {
  it('H100 MIG: instances get -L profile + UUID by Device index; processes join on GI/CI', () => {
    const result = buildGpus(xmlOf('synthetic__h100-mig-processes.xml'), listOf('nvidia_gpu_exporter__section-L__h100-mig__590.48.01.txt'));
    expect(result.errors).toEqual([]);
    const [gpu] = expectValidGpus(result);
    expect(gpu).toMatchObject({
      index: 0,
      uuid: 'GPU-00000000-0000-0000-0000-000000000000',
      name: 'NVIDIA H100 80GB HBM3',
      pciBusId: '0000:00:09.0',
      memoryUsedMiB: 11125,
      utilizationPct: null,
      migMode: 'enabled',
    });
    expect(gpu?.migInstances.map((m) => [m.index, m.profile, m.uuid, m.gpuInstanceId, m.computeInstanceId])).toEqual([
      [0, '3g.40gb', MIG(0), 2, 0],
      [1, '2g.20gb', MIG(1), 3, 0],
      [2, '1g.10gb', MIG(2), 9, 0],
      [3, '1g.10gb', MIG(3), 10, 0],
    ]);
    expect(result.processes).toEqual([
      { pid: 21180, gpuUuid: gpu?.uuid, migUuid: MIG(0), usedMemoryMiB: 2296, processName: '/root/tools/memhog', type: 'C' },
      { pid: 21181, gpuUuid: gpu?.uuid, migUuid: MIG(0), usedMemoryMiB: 1272, processName: '/root/tools/memhog', type: 'C' },
      { pid: 21198, gpuUuid: gpu?.uuid, migUuid: MIG(0), usedMemoryMiB: 7484, processName: './gpu_burn', type: 'C' },
    ]);
  });

  it('H200 MIG: two CIs in GI 2; processes in CI 1 go to Device 1 (2c.3g.71gb), not Device 0', () => {
    const result = buildGpus(xmlOf('synthetic__h200-mig-processes-two-ci.xml'), listOf('nvidia_gpu_exporter__section-L__h200-mig__590.48.01.txt'));
    expect(result.errors).toEqual([]);
    const [gpu] = expectValidGpus(result);
    expect(gpu?.migInstances.slice(0, 2).map((m) => [m.profile, m.gpuInstanceId, m.computeInstanceId])).toEqual([
      ['1c.3g.71gb', 2, 0],
      ['2c.3g.71gb', 2, 1],
    ]);
    expect(result.processes.map((p) => [p.pid, p.migUuid])).toEqual([
      [12249, MIG(1)],
      [12250, MIG(1)],
      [12267, MIG(1)],
    ]);
  });

  it('takes the GPU index from the -L entry with the same UUID, not from document order', () => {
    const list = parseNvidiaSmiList(
      'GPU 0: NVIDIA RTX A5000 (UUID: GPU-12345678-aaaa-bbbb-cccc-0123456789cd)\nGPU 1: NVIDIA RTX A5000 (UUID: GPU-12345678-aaaa-bbbb-cccc-0123456789ab)\n',
    );
    const result = buildGpus(xmlOf('telegraf__dual_a5000-v13.xml'), list);
    expect(result.errors).toEqual([]);
    expect(expectValidGpus(result).map((g) => [g.index, g.pciBusId])).toEqual([
      [1, '0000:81:00.0'],
      [0, '0000:c1:00.0'],
    ]);
    // one llama-server process holds both GPUs: one sighting per GPU
    expect(result.processes.map((p) => [p.pid, p.gpuUuid, p.usedMemoryMiB])).toEqual([
      [100477, 'GPU-12345678-aaaa-bbbb-cccc-0123456789ab', 22430],
      [100477, 'GPU-12345678-aaaa-bbbb-cccc-0123456789cd', 17246],
    ]);
  });

  it('does not join on an ambiguous UUID (the dual 2080 file repeats one UUID): document position wins', () => {
    const list = parseNvidiaSmiList(
      'GPU 5: NVIDIA GeForce RTX 2080 (UUID: GPU-12345678-aaaa-bbbb-cccc-0123456789ab)\nGPU 6: NVIDIA GeForce RTX 2080 (UUID: GPU-12345678-aaaa-bbbb-cccc-0123456789ab)\n',
    );
    const result = buildGpus(xmlOf('telegraf__dual_2080-v13.xml'), list);
    expect(result.gpus.slice(0, 2).map((g) => g.index)).toEqual([0, 1]);
    expect(result.errors.filter((e) => e.includes('in nvidia-smi -L but not in the XML'))).toHaveLength(2);
  });

  it('a GPU only in -L is kept with unknown metrics and reported', () => {
    const list = parseNvidiaSmiList(
      'GPU 0: NVIDIA GeForce RTX 3080 (UUID: GPU-19d6d965-2acc-f646-00f8-4c76979aabb4)\nGPU 1: NVIDIA A10G (UUID: GPU-ffff)\n',
    );
    const result = buildGpus(xmlOf('telegraf__rtx-3080-v12.xml'), list);
    const gpus = expectValidGpus(result);
    expect(gpus.map((g) => [g.index, g.uuid, g.memoryTotalMiB])).toEqual([
      [0, 'GPU-19d6d965-2acc-f646-00f8-4c76979aabb4', 10240],
      [1, 'GPU-ffff', null],
    ]);
    expect(result.errors).toEqual(['GPU 1 (GPU-ffff) is in nvidia-smi -L but not in the XML; metrics unknown']);
  });

  it('MIG devices listed by -L but absent from the XML are added with null GI/CI and metrics', () => {
    const list = parseNvidiaSmiList(
      'GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-513536b6-7d19-9063-b049-1e69664bb298)\n  MIG 1g.20gb     Device  0: (UUID: MIG-a)\n  MIG 1g.20gb     Device  4: (UUID: MIG-e)\n',
    );
    const [gpu] = expectValidGpus(buildGpus(xmlOf('telegraf__a100-sxm4-v12.xml'), list));
    expect(gpu?.migInstances.map((m) => [m.index, m.uuid, m.gpuInstanceId])).toEqual([
      [0, 'MIG-a', 3],
      [1, null, 4],
      [2, null, 5],
      [3, null, 6],
      [4, 'MIG-e', null],
    ]);
  });
});

describe('XML without -L', () => {
  it('A100 MIG: instances from the XML with null UUID/profile, and the gap is reported', () => {
    const result = buildGpus(xmlOf('telegraf__a100-sxm4-v12.xml'), null);
    const [gpu] = expectValidGpus(result);
    expect(gpu?.migInstances.map((m) => [m.index, m.uuid, m.profile, m.gpuInstanceId, m.computeInstanceId, m.memoryTotalMiB])).toEqual([
      [0, null, null, 3, 0, 19968],
      [1, null, null, 4, 0, 19968],
      [2, null, null, 5, 0, 19968],
      [3, null, null, 6, 0, 19968],
    ]);
    expect(result.errors).toEqual([
      'nvidia-smi -q -x: attached_gpus says 4 but the document holds 1 <gpu> element(s); using the elements',
      'nvidia-smi -L output is missing: MIG instance UUIDs and profiles unknown',
    ]);
  });

  it('MIG processes still resolve to no MIG UUID (unknown, not invented)', () => {
    const result = buildGpus(xmlOf('synthetic__h100-mig-processes.xml'), null);
    expect(result.processes.map((p) => p.migUuid)).toEqual([null, null, null]);
    expect(result.processes.every((p) => p.gpuUuid === 'GPU-00000000-0000-0000-0000-000000000000')).toBe(true);
  });

  it('non-MIG desktop: index = document position, sightings carry the GPU UUID and no MIG UUID', () => {
    const result = buildGpus(xmlOf('telegraf__rtx-3080-v12.xml'), null);
    expect(result.errors).toEqual([]);
    const [gpu] = expectValidGpus(result);
    expect(gpu).toMatchObject({ index: 0, migMode: 'unsupported', migInstances: [], powerW: 22.78, temperatureC: 31 });
    expect(result.processes).toHaveLength(5);
    expect(result.processes.every((p) => p.gpuUuid === 'GPU-19d6d965-2acc-f646-00f8-4c76979aabb4' && p.migUuid === null)).toBe(true);
  });

  it('a process whose GI/CI matches no instance gets no MIG UUID', () => {
    const xml = parseNvidiaSmiXml(
      '<nvidia_smi_log><gpu><uuid>GPU-1</uuid><mig_mode><current_mig>Enabled</current_mig></mig_mode><mig_devices><mig_device><index>0</index><gpu_instance_id>1</gpu_instance_id><compute_instance_id>0</compute_instance_id></mig_device></mig_devices>' +
        '<processes><process_info><gpu_instance_id>7</gpu_instance_id><compute_instance_id>0</compute_instance_id><pid>9</pid></process_info></processes></gpu></nvidia_smi_log>',
    );
    const list = parseNvidiaSmiList('GPU 0: X (UUID: GPU-1)\n  MIG 1g.5gb Device 0: (UUID: MIG-z)\n');
    expect(buildGpus(xml, list).processes).toEqual([{ pid: 9, gpuUuid: 'GPU-1', migUuid: null, usedMemoryMiB: null, processName: null, type: null }]);
  });
});

describe('fallbacks and failures', () => {
  it('XML failed, -L parsed: GPUs from -L, metrics null, MIG enabled where -L lists devices', () => {
    const xml = parseNvidiaSmiXml('<nvidia_smi_log><gpu>');
    const result = buildGpus(xml, listOf('nvidia_gpu_exporter__list_gpus_8xH100_mig_56x1g.10gb.txt'));
    const gpus = expectValidGpus(result);
    expect(gpus).toHaveLength(8);
    expect(gpus.map((g) => g.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const gpu of gpus) {
      expect(gpu).toMatchObject({ pciBusId: null, memoryTotalMiB: null, memoryUsedMiB: null, utilizationPct: null, temperatureC: null, powerW: null, migMode: 'enabled' });
      expect(gpu.migInstances).toHaveLength(7);
      expect(gpu.migInstances.every((m) => m.profile === '1g.10gb' && m.uuid?.startsWith('MIG-') && m.gpuInstanceId === null)).toBe(true);
    }
    expect(result.processes).toEqual([]);
    expect(result.errors[0]).toMatch(/^nvidia-smi -q -x: nvidia-smi output is not well-formed XML/);
    expect(result.errors).toContain('GPU metrics unknown: using the nvidia-smi -L list only');
  });

  it('XML missing, non-MIG -L: migMode "unsupported"', () => {
    const result = buildGpus(null, listOf('nvidia_gpu_exporter__section-L__l40s__595.80.txt'));
    expect(expectValidGpus(result)).toEqual([
      {
        index: 0, uuid: 'GPU-00000000-0000-0000-0000-000000000000', name: 'NVIDIA L40S', pciBusId: null,
        memoryTotalMiB: null, memoryUsedMiB: null, utilizationPct: null, temperatureC: null, powerW: null,
        migMode: 'unsupported', migInstances: [],
      },
    ]);
    expect(result.errors).toEqual(['nvidia-smi -q -x output is missing', 'GPU metrics unknown: using the nvidia-smi -L list only']);
  });

  it('fallback reads GI/CI from old-style MIG-GPU-<uuid>/<gi>/<ci> UUIDs', () => {
    const list = parseNvidiaSmiList('GPU 0: A100 (UUID: GPU-5c89)\n  MIG 3g.20gb Device 0: (UUID: MIG-GPU-5c89/1/0)\n');
    const [gpu] = expectValidGpus(buildGpus(null, list));
    expect(gpu?.migInstances).toEqual([
      { index: 0, uuid: 'MIG-GPU-5c89/1/0', profile: '3g.20gb', gpuInstanceId: 1, computeInstanceId: 0, memoryTotalMiB: null, memoryUsedMiB: null },
    ]);
  });

  it('both missing: no GPUs, and errors say why', () => {
    expect(buildGpus(null, null)).toEqual({
      gpus: [],
      processes: [],
      errors: ['nvidia-smi -q -x output is missing', 'no GPU data: nvidia-smi -L output is missing too'],
    });
  });

  it('XML failed and -L printed an error: no GPUs, both problems reported', () => {
    const result = buildGpus(parseNvidiaSmiXml(''), parseNvidiaSmiList('No devices found\n'));
    expect(result.gpus).toEqual([]);
    expect(result.errors).toEqual([
      'nvidia-smi -L: unrecognised line: No devices found',
      'nvidia-smi -q -x: nvidia-smi XML output is empty',
      'no GPU data: nvidia-smi -L listed no GPUs',
    ]);
  });

  it('an XML log with no <gpu> is never silently empty', () => {
    const result = buildGpus(parseNvidiaSmiXml('<nvidia_smi_log><attached_gpus>2</attached_gpus></nvidia_smi_log>'), null);
    expect(result.gpus).toEqual([]);
    expect(result.errors).toContain('nvidia-smi -q -x: document contains no <gpu> elements');
    expect(result.errors).toContain('no GPU data: nvidia-smi -L output is missing too');
  });

  it('clips long messages, caps unparsed-line reports, flags duplicate indexes', () => {
    const junk = Array.from({ length: 8 }, (_, i) => `junk ${i} ${'x'.repeat(600)}`).join('\n');
    const list = parseNvidiaSmiList(`${junk}\nGPU 0: A (UUID: GPU-a)\nGPU 0: B (UUID: GPU-b)\n`);
    const result = buildGpus(null, list);
    expect(result.errors.filter((e) => e.startsWith('nvidia-smi -L: unrecognised line'))).toHaveLength(5);
    expect(result.errors).toContain('nvidia-smi -L: 3 more unrecognised line(s)');
    expect(Math.max(...result.errors.map((e) => e.length))).toBe(500);
    expect(result.errors).toContain('GPU index 0 appears more than once');
  });
});
