import { describe, expect, it } from 'vitest';
import { readXmlGpu } from './xml-gpu.ts';

describe('readXmlGpu', () => {
  it('reads a parser-shaped element', () => {
    const node = {
      '@_id': '00000000:0A:00.0',
      product_name: 'NVIDIA GeForce RTX 2080',
      uuid: 'GPU-fbd55ed4-1eec-4423-0a47-ad594b4333e3',
      fb_memory_usage: { total: '8192 MiB', used: '862 MiB' },
      utilization: { gpu_util: '2 %' },
      temperature: { gpu_temp: '29 C' },
      power_readings: { power_draw: '14.50 W' },
      mig_mode: { current_mig: 'N/A' },
      processes: {
        process_info: [
          { gpu_instance_id: 'N/A', compute_instance_id: 'N/A', pid: '7724', type: 'C+G', process_name: '', used_memory: 'N/A' },
        ],
      },
    };
    const { gpu, warnings } = readXmlGpu(node, 3);
    expect(warnings).toEqual([]);
    expect(gpu).toEqual({
      position: 3,
      pciBusId: '0000:0a:00.0',
      uuid: 'GPU-fbd55ed4-1eec-4423-0a47-ad594b4333e3',
      name: 'NVIDIA GeForce RTX 2080',
      memoryTotalMiB: 8192,
      memoryUsedMiB: 862,
      utilizationPct: 2,
      temperatureC: 29,
      powerW: 14.5,
      migMode: 'unsupported',
      migDevices: [],
      processes: [{ pid: 7724, type: 'C+G', processName: null, usedMemoryMiB: null, gpuInstanceId: null, computeInstanceId: null }],
    });
  });

  it('prefers gpu_power_readings/power_draw over instant, average and legacy readings', () => {
    const power = (readings: Record<string, unknown>): number | null => readXmlGpu(readings, 0).gpu.powerW;
    expect(power({ gpu_power_readings: { power_draw: '1 W', instant_power_draw: '2 W' }, power_readings: { power_draw: '4 W' } })).toBe(1);
    expect(power({ gpu_power_readings: { power_draw: 'N/A', instant_power_draw: '2 W', average_power_draw: '3 W' } })).toBe(2);
    expect(power({ gpu_power_readings: { instant_power_draw: 'N/A', average_power_draw: '3 W' } })).toBe(3);
    expect(power({ gpu_power_readings: { average_power_draw: 'N/A' }, power_readings: { power_draw: '4 W' } })).toBe(4);
    expect(power({ power_readings: { power_draw: 'N/A' } })).toBeNull();
  });

  it('never throws on odd shapes and yields nulls', () => {
    for (const node of [undefined, null, '', 'text', 42, [], { mig_devices: 'None', processes: 'x' }]) {
      const { gpu } = readXmlGpu(node, 0);
      expect(gpu).toMatchObject({ pciBusId: null, uuid: null, name: null, migMode: 'unsupported', migDevices: [], processes: [] });
    }
  });

  it('reads a single mig_device that was not wrapped in an array, and keeps a null index', () => {
    const { gpu } = readXmlGpu({ mig_devices: { mig_device: { gpu_instance_id: '1', compute_instance_id: '0', fb_memory_usage: { total: '19968 MiB', used: '19 MiB' } } } }, 0);
    expect(gpu.migDevices).toEqual([{ index: null, gpuInstanceId: 1, computeInstanceId: 0, memoryTotalMiB: 19968, memoryUsedMiB: 19 }]);
  });

  it('skips processes with missing, zero or negative pids and reports each', () => {
    const { gpu, warnings } = readXmlGpu({ processes: { process_info: [{ pid: '0' }, { pid: '-1' }, {}, { pid: '12' }] } }, 1);
    expect(gpu.processes.map((p) => p.pid)).toEqual([12]);
    expect(warnings).toEqual([
      'gpu[1]: process_info[0] has no usable pid; skipped',
      'gpu[1]: process_info[1] has no usable pid; skipped',
      'gpu[1]: process_info[2] has no usable pid; skipped',
    ]);
  });
});
