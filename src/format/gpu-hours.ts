// GPU-hours for people.
import { formatNumber } from './human-number.ts';

/** GPU-seconds as GPU-hours for reading: "3.4 GPU-hours", "1 GPU-hour", "0 GPU-hours"; not finite → "unknown GPU-hours". */
export function formatGpuHours(gpuSeconds: number): string {
  const hours = gpuSeconds / 3600;
  const text = formatNumber(hours);
  return `${text} GPU-${text === '1' ? 'hour' : 'hours'}`;
}
