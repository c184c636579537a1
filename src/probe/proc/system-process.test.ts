import { describe, expect, it } from 'vitest';
import { isSystemGpuProcess, SYSTEM_GPU_PROCESS_NAMES } from './system-process.ts';

describe('isSystemGpuProcess', () => {
  it.each([...SYSTEM_GPU_PROCESS_NAMES])('%s by argv[0] basename', (name) => {
    expect(isSystemGpuProcess(name, null)).toBe(true);
  });

  it('has exactly the 13 driver and display daemons', () => {
    expect(SYSTEM_GPU_PROCESS_NAMES.size).toBe(13);
  });

  it('a full path counts, from argv or from nvidia-smi', () => {
    expect(isSystemGpuProcess('/usr/lib/xorg/Xorg', null)).toBe(true);
    expect(isSystemGpuProcess(null, '/usr/lib/xorg/Xorg')).toBe(true);
    expect(isSystemGpuProcess(null, '/usr/bin/nvidia-persistenced')).toBe(true);
  });

  it('nvidia-smi process names with arguments are reduced to the program', () => {
    expect(isSystemGpuProcess(null, '/usr/lib/xorg/Xorg vt1 -displayfd 3 -auth /run/user/1000/gdm/Xauthority')).toBe(true);
    expect(isSystemGpuProcess(null, '/usr/bin/gnome-shell')).toBe(true);
  });

  it('argv[0] decides when present; the nvidia-smi name is only a fallback', () => {
    expect(isSystemGpuProcess('python3', 'Xorg')).toBe(false);
    expect(isSystemGpuProcess('', 'Xorg')).toBe(true);
    expect(isSystemGpuProcess(null, 'python3')).toBe(false);
  });

  it('user workloads and near-misses are not system processes', () => {
    for (const name of ['python3', 'xorg', 'Xorg.wrap', 'nvidia-smi-wrapper', 'ollama', 'dcgm-exporter', 'x']) {
      expect(isSystemGpuProcess(name, null), name).toBe(false);
    }
    expect(isSystemGpuProcess(null, null)).toBe(false);
    expect(isSystemGpuProcess(null, '')).toBe(false);
    expect(isSystemGpuProcess(null, '[Not Found]')).toBe(false);
  });
});
