// Pure parsers of the counter files behind container usage: cgroup CPU time and /proc/<pid>/net/dev.

/** CPU time in µs from cgroup v2 `cpu.stat` (`usage_usec N`); null when absent or malformed. */
export function parseCpuStatUsageUsec(text: string): number | null {
  const m = /^usage_usec (\d+)$/m.exec(text);
  if (m?.[1] === undefined) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : null;
}

/** CPU time in µs from cgroup v1 `cpuacct.usage` (one integer, nanoseconds); null when malformed. */
export function parseCpuacctUsageUsec(text: string): number | null {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return null;
  const ns = Number(t);
  return Number.isFinite(ns) ? Math.floor(ns / 1000) : null;
}

/** Received and sent bytes summed over every interface except `lo`. */
export interface NetBytes {
  rxBytes: number;
  txBytes: number;
}

/** Parse /proc/<pid>/net/dev: sum rx/tx bytes of all interfaces but `lo`; null when no interface line parses. */
export function parseNetDevBytes(text: string): NetBytes | null {
  let rxBytes = 0;
  let txBytes = 0;
  let lines = 0;
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const fields = line.slice(colon + 1).trim().split(/\s+/);
    if (name === '' || name.includes('|') || fields.length < 9) continue;
    const rx = Number(fields[0]);
    const tx = Number(fields[8]);
    if (!Number.isSafeInteger(rx) || !Number.isSafeInteger(tx) || rx < 0 || tx < 0) continue;
    lines++;
    if (name === 'lo') continue;
    rxBytes += rx;
    txBytes += tx;
  }
  return lines === 0 ? null : { rxBytes, txBytes };
}
