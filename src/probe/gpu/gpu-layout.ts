import type { XmlParseResult } from './parse-xml.ts';

/**
 * What `nvidia-smi -L` depends on, as read from `nvidia-smi -q -x`: each GPU's UUID, name and MIG mode, and each
 * MIG device's index, GPU/compute instance ids and memory size (the profile). Equal layouts mean the last
 * `-L` output still holds, except for MIG UUIDs of an instance destroyed and made again the same way. Null for
 * a failed parse.
 */
export function gpuLayoutOf(xml: XmlParseResult): string | null {
  if (!xml.ok) return null;
  return xml.gpus
    .map((g) => {
      const migs = g.migDevices.map((d) => `${d.index}/${d.gpuInstanceId}/${d.computeInstanceId}/${d.memoryTotalMiB}`).join(',');
      return `${g.uuid}|${g.name}|${String(g.migMode)}|${migs}`;
    })
    .join(';');
}
