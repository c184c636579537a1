import { expect, it } from 'vitest';
import { formatGpuHours } from './gpu-hours.ts';

it('formats GPU-seconds as GPU-hours, singular for exactly one', () => {
  expect(formatGpuHours(3600)).toBe('1 GPU-hour');
  expect(formatGpuHours(12_240)).toBe('3.4 GPU-hours');
  expect(formatGpuHours(0)).toBe('0 GPU-hours');
  expect(formatGpuHours(360_000 * 1.2345)).toBe('123 GPU-hours');
  expect(formatGpuHours(Number.NaN)).toBe('unknown GPU-hours');
});
