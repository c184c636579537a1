import type { Container, Gpu, GpuProcess, HostSnapshot } from '../snapshot/schema.ts';

function num(v: number | null, unit: string): string {
  return v === null ? 'n/a' : `${Math.round(v * 10) / 10}${unit}`;
}

function mem(used: number | null, total: number | null): string {
  return `${used === null ? '?' : Math.round(used)}/${total === null ? '?' : Math.round(total)} MiB`;
}

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
}

/**
 * Rows under a header as aligned columns (two spaces apart, trailing spaces trimmed), each column at least
 * `minWidths[i]` wide; control characters in a cell become one space, so a cell never breaks a line.
 */
export function renderColumns(header: readonly string[], rows: readonly (readonly string[])[], minWidths: readonly number[] = []): string {
  const clean = [header, ...rows].map((r) => r.map((cell) => cell.replace(/[\u0000-\u001f\u007f]+/g, ' ')));
  const widths = header.map((_, i) => Math.max(minWidths[i] ?? 0, ...clean.map((r) => (r[i] ?? '').length)));
  return clean.map((r) => pad(r, widths)).join('\n') + '\n';
}

function processRows(procs: GpuProcess[], containers: Map<string, Container>, indent: string): string[] {
  if (procs.length === 0) return [`${indent}(no processes)`];
  const header = ['PID', 'USER', 'KIND', 'CONTAINER', 'MEMORY', 'COMMAND'];
  const rows = procs.map((p) => {
    const c = p.containerId === null ? undefined : containers.get(p.containerId);
    const who = p.user ?? 'unknown';
    const kind = p.system ? `${p.kind}/system` : p.kind;
    const container = c?.name ?? (p.containerId === null ? '-' : p.containerId.slice(0, 12));
    return [String(p.pid), who, kind, container, p.usedMemoryMiB === null ? 'n/a' : `${Math.round(p.usedMemoryMiB)} MiB`, p.name ?? '?'];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows].map((r) => indent + pad(r, widths));
}

function gpuLine(g: Gpu): string {
  const mig = g.migMode === 'enabled' ? '  MIG on' : '';
  return `GPU ${g.index}  ${g.name ?? 'unknown GPU'}  ${g.uuid ?? 'no uuid'}${mig}  mem ${mem(g.memoryUsedMiB, g.memoryTotalMiB)}  util ${num(g.utilizationPct, '%')}  ${num(g.temperatureC, ' C')}  ${num(g.powerW, ' W')}`;
}

/** Human view of a snapshot, gpustat/nvitop style: per GPU and MIG instance, who runs what. */
export function renderTable(s: HostSnapshot): string {
  const out: string[] = [`${s.host}  ${s.takenAt}  driver ${s.driverVersion ?? 'n/a'}  probe ${s.probe.version}`];
  const containers = new Map(s.containers.map((c) => [c.id, c]));
  const placed = new Set<GpuProcess>();
  for (const g of s.gpus) {
    out.push(gpuLine(g));
    const onGpu = s.gpuProcesses.filter((p) => g.uuid !== null && p.gpuUuid === g.uuid);
    for (const m of g.migInstances) {
      out.push(`  MIG ${m.index}  ${m.profile ?? '?'}  ${m.uuid ?? 'no uuid'}  GI ${m.gpuInstanceId ?? '?'} CI ${m.computeInstanceId ?? '?'}  mem ${mem(m.memoryUsedMiB, m.memoryTotalMiB)}`);
      const inMig = onGpu.filter((p) => m.uuid !== null && p.migUuid === m.uuid);
      inMig.forEach((p) => placed.add(p));
      if (inMig.length > 0) out.push(...processRows(inMig, containers, '    '));
    }
    const rest = onGpu.filter((p) => !placed.has(p));
    rest.forEach((p) => placed.add(p));
    if (g.migInstances.length === 0 || rest.length > 0) out.push(...processRows(rest, containers, '  '));
  }
  const orphans = s.gpuProcesses.filter((p) => !placed.has(p));
  if (orphans.length > 0) {
    out.push('Processes on an unknown GPU');
    out.push(...processRows(orphans, containers, '  '));
  }
  if (s.gpus.length === 0) out.push('No GPU data (see errors below).');
  const exited = s.exitedProcesses ?? 0;
  if (exited > 0) out.push(`${exited} GPU process(es) exited before /proc was read`);
  const gpuContainers = s.containers.filter((c) => c.gpu.requested !== 'none');
  if (s.disabledSources?.includes('docker') === true) out.push('Containers: not read (docker disabled)');
  else out.push(`Containers: ${s.containers.length} (${gpuContainers.length} with GPU access)`);
  for (const c of gpuContainers) {
    const gpus = c.gpu.requested === 'all' ? 'all GPUs' : c.gpu.requested === 'count' ? `${c.gpu.count} GPU(s)` : c.gpu.deviceIds.join(',');
    out.push(`  ${c.name}  ${c.state}  ${c.class}  owner ${c.owner.user ?? 'unknown'} (${c.owner.method})  ${gpus}`);
  }
  for (const e of s.errors) out.push(`error [${e.source}] ${e.message}`);
  return `${out.join('\n')}\n`;
}
