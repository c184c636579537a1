import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseComputeApps, parseQueryCsv, splitExporterCapture } from './parse-csv.ts';
import { parseNumberWithUnit } from './parse-value.ts';
import { parseNvidiaSmiXml } from './parse-xml.ts';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/nvidia-smi/', import.meta.url));
const readCsv = (name: string): string => readFileSync(join(FIXTURES, 'csv', name), 'utf8');
const H100_MIG_CAPTURE = 'nvidia_gpu_exporter__capture__linux-x86_64__nvidia-h100-mig__590.48.01.txt';
const WIN_610_CAPTURE = 'nvidia_gpu_exporter__capture__windows-x86_64__nvidia-geforce-rtx-2080-super__610.62.txt';
const PARENT_UUID = 'GPU-00000000-0000-0000-0000-000000000000';

function section(file: string, title: string): string {
  const found = splitExporterCapture(readCsv(file)).find((s) => s.title === title);
  if (found === undefined) throw new Error(`no section "${title}" in ${file}`);
  return found.body;
}

describe('parseQueryCsv: --format=csv (units in header and values)', () => {
  it('reads the Windows RTX 2080 SUPER query, stripping " [unit]" from names only', () => {
    const result = parseQueryCsv(readCsv('nvidia_gpu_exporter__query_rtx2080super_windows.csv'));
    expect(result.errors).toEqual([]);
    expect(result.columns).toEqual([
      'uuid', 'name', 'driver_model.current', 'driver_model.pending', 'vbios_version', 'driver_version',
      'fan.speed', 'memory.used', 'pci.bus_id', 'serial', 'compute_cap', 'pci.sub_device_id', 'index',
    ]);
    expect(result.rows).toHaveLength(2);
    const [first] = result.rows;
    expect(first).toMatchObject({
      uuid: 'GPU-df6e7a7c-7314-46f8-abc4-b88b36dcf3aa',
      name: 'NVIDIA GeForce RTX 2080 SUPER',
      'driver_model.current': 'WDDM',
      'fan.speed': '38 %',
      'memory.used': '575 MiB',
      'pci.bus_id': '00000000:01:00.0',
      serial: null,
      index: '0',
    });
    expect(parseNumberWithUnit(first?.['memory.used'])).toBe(575);
  });

  it('reads every placeholder in the H100 MIG capture query-gpu row as null', () => {
    const result = parseQueryCsv(section(H100_MIG_CAPTURE, 'load :: query-gpu (csv, what the exporter parses)'));
    expect(result.errors).toEqual([]);
    expect(result.columns).toHaveLength(212);
    expect(result.columns).toContain('clocks_event_reasons_counters.sw_power_cap');
    const row = result.rows[0] ?? {};
    expect(row['memory.used']).toBe('11125 MiB');
    expect(row['power.draw']).toBe('433.78 W');
    expect(row['mig.mode.current']).toBe('Enabled');
    expect(row['clocks_event_reasons_counters.sw_power_cap']).toBe('0 us');
    expect(row['utilization.gpu']).toBeNull(); // [N/A]: the parent of a MIG GPU has no utilisation
    expect(row['display_mode']).toBeNull(); // [Requested functionality has been deprecated]
    expect(row['clocks.applications.graphics']).toBeNull();
    expect(row['platform.chassis_serial_number']).toBeNull(); // empty field ", ,"
    expect(row['fabric.health.summary']).toBeNull(); // bare N/A
    expect(row['timestamp']).toBe('2026/07/14 09:00:44.579');
  });

  it('driver 610 (Windows): [Function Not Found] → null, kmd_version column present', () => {
    const row = parseQueryCsv(section(WIN_610_CAPTURE, 'load :: query-gpu (csv, what the exporter parses)')).rows[0] ?? {};
    expect(row['bbx.time_run']).toBeNull();
    expect(row['kmd_version']).toBe('610.62');
    expect(row['driver_version']).toBe('610.62');
  });
});

describe('parseQueryCsv: nounits and noheader', () => {
  it('csv,nounits: header keeps [unit], values are bare', () => {
    const result = parseQueryCsv(readCsv('synthetic__query-gpu-nounits.csv'));
    expect(result.errors).toEqual([]);
    expect(result.columns).toEqual([
      'index', 'name', 'uuid', 'pci.bus_id', 'memory.total', 'memory.used', 'utilization.gpu', 'temperature.gpu',
      'power.draw', 'mig.mode.current', 'fan.speed', 'clocks.applications.graphics', 'platform.chassis_serial_number',
      'fabric.health.summary',
    ]);
    expect(result.rows).toEqual([
      {
        index: '0', name: 'NVIDIA H100 80GB HBM3', uuid: PARENT_UUID, 'pci.bus_id': '00000000:00:09.0',
        'memory.total': '81559', 'memory.used': '11125', 'utilization.gpu': null, 'temperature.gpu': '53',
        'power.draw': '433.78', 'mig.mode.current': 'Enabled', 'fan.speed': null, 'clocks.applications.graphics': null,
        'platform.chassis_serial_number': null, 'fabric.health.summary': null,
      },
    ]);
  });

  it('csv,noheader,nounits: maps by the given column order (units in given names are stripped)', () => {
    const columns = parseQueryCsv(readCsv('synthetic__query-gpu-nounits.csv')).columns;
    const withUnit = columns.map((c) => (c === 'memory.used' ? 'memory.used [MiB]' : c));
    const result = parseQueryCsv(readCsv('synthetic__query-gpu-noheader-nounits.csv'), { columns: withUnit });
    expect(result.errors).toEqual([]);
    expect(result.columns).toEqual(columns);
    expect(result.rows).toEqual(parseQueryCsv(readCsv('synthetic__query-gpu-nounits.csv')).rows);
  });

  it('given columns skip a matching header line instead of reading it as data', () => {
    const text = 'pid, used_gpu_memory [MiB]\n12, 5 MiB\n';
    const result = parseQueryCsv(text, { columns: ['pid', 'used_gpu_memory'] });
    expect(result.rows).toEqual([{ pid: '12', used_gpu_memory: '5 MiB' }]);
  });

  it('noheader data without columns is reported, not mistaken for a header', () => {
    const result = parseQueryCsv(readCsv('synthetic__query-gpu-noheader-nounits.csv'));
    expect(result.columns).toEqual([]);
    expect(result.rows).toEqual([]);
    expect(result.errors[0]).toMatch(/^first line is not a CSV header: "0, NVIDIA H100/);
  });

  it('given columns and empty input: no rows, no error (no processes)', () => {
    expect(parseQueryCsv('', { columns: ['pid'] })).toEqual({ columns: ['pid'], rows: [], errors: [] });
  });
});

describe('parseQueryCsv: malformed input', () => {
  it('empty input without columns is an error', () => {
    expect(parseQueryCsv('')).toEqual({ columns: [], rows: [], errors: ['CSV input has no header line'] });
  });

  it('nvidia-smi error text is not a header', () => {
    const result = parseQueryCsv('No devices were found\n');
    expect(result.errors).toEqual(['first line is not a CSV header: "No devices were found"']);
  });

  it('rows with too few fields, or extra fields and no process_name, are skipped with an error', () => {
    const result = parseQueryCsv('index, name\n0\n1, a, b\n2, ok\n');
    expect(result.rows).toEqual([{ index: '2', name: 'ok' }]);
    expect(result.errors).toEqual([
      'row 1: expected 2 fields, found 1',
      'row 2: expected 2 fields, found 3 and no process_name column to absorb them',
    ]);
  });

  it('CRLF line ends and a missing final newline are fine', () => {
    const result = parseQueryCsv('index, name\r\n0, A\r\n1, B');
    expect(result.rows).toEqual([{ index: '0', name: 'A' }, { index: '1', name: 'B' }]);
  });

  it('a __proto__ column stays an own property', () => {
    const row = parseQueryCsv('__proto__, x\nvalue, 1\n').rows[0];
    expect(Object.prototype.hasOwnProperty.call(row, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
  });
});

describe('process_name containing ", " (synthetic, built from the RTX 3080 XML processes)', () => {
  const text = readCsv('synthetic__compute-apps-comma-in-process-name.csv');

  it('re-joins the spilled fields: leading fields from the left, trailing from the right', () => {
    const result = parseQueryCsv(text);
    expect(result.errors).toEqual([]);
    expect(result.rows).toHaveLength(6);
    const edge = result.rows[2];
    expect(edge?.['pid']).toBe('2214');
    expect(edge?.['used_gpu_memory']).toBe('79 MiB');
    expect(edge?.['gpu_uuid']).toBe('GPU-19d6d965-2acc-f646-00f8-4c76979aabb4');
    expect(edge?.['process_name']).toContain('--enable-crash-reporter=, --change-stack-guard-on-fork=enable');
  });

  it('gives exactly the names the XML gives for the same processes', () => {
    const xml = parseNvidiaSmiXml(readFileSync(join(FIXTURES, 'xml', 'telegraf__rtx-3080-v12.xml'), 'utf8'));
    if (!xml.ok) throw new Error(xml.message);
    const fromXml = xml.gpus[0]?.processes.map((p) => [p.pid, p.processName, p.usedMemoryMiB]);
    const fromCsv = parseComputeApps(text).rows.slice(0, 5).map((r) => [r.pid, r.processName, r.usedMemoryMiB]);
    expect(fromCsv).toEqual(fromXml);
  });

  it('[Not Found] process name → null', () => {
    expect(parseComputeApps(text).rows[5]).toEqual({ pid: 51234, processName: null, usedMemoryMiB: 1024, gpuUuid: 'GPU-19d6d965-2acc-f646-00f8-4c76979aabb4' });
  });

  it('a spilled name in the first or last column position still works', () => {
    const first = parseQueryCsv('process_name, pid\na, b, c, 7\n').rows[0];
    expect(first).toEqual({ process_name: 'a, b, c', pid: '7' });
    const last = parseQueryCsv('pid, process_name\n7, a, b\n').rows[0];
    expect(last).toEqual({ pid: '7', process_name: 'a, b' });
  });
});

describe('parseComputeApps', () => {
  it('MIG H100: every row carries the parent GPU- uuid, not a MIG- one', () => {
    const result = parseComputeApps(readCsv('nvidia_gpu_exporter__section-compute-apps-load__linux-x86_64__nvidia-h100-mig__590.48.01.csv'));
    expect(result).toEqual({
      rows: [
        { pid: 21180, processName: '/root/tools/memhog', usedMemoryMiB: 2296, gpuUuid: PARENT_UUID },
        { pid: 21181, processName: '/root/tools/memhog', usedMemoryMiB: 1272, gpuUuid: PARENT_UUID },
        { pid: 21198, processName: './gpu_burn', usedMemoryMiB: 7484, gpuUuid: PARENT_UUID },
      ],
      errors: [],
    });
  });

  it('MIG H200 and L40S sections', () => {
    const h200 = parseComputeApps(readCsv('nvidia_gpu_exporter__section-compute-apps-load__linux-x86_64__nvidia-h200-mig__590.48.01.csv'));
    expect(h200.rows.map((r) => [r.pid, r.usedMemoryMiB])).toEqual([[12249, 2194], [12250, 1170], [12267, 13526]]);
    expect(h200.rows.every((r) => r.gpuUuid?.startsWith('GPU-'))).toBe(true);
    const l40s = parseComputeApps(readCsv('nvidia_gpu_exporter__section-compute-apps-load__linux-x86_64__nvidia-l40s__595.80.csv'));
    expect(l40s.rows.map((r) => [r.pid, r.processName, r.usedMemoryMiB])).toEqual([[20037, 'ffmpeg', 538], [20038, 'ffmpeg', 681]]);
  });

  it('Windows WDDM: 21 processes, memory [N/A] → null, serial [N/A] → null, backslash paths kept', () => {
    const text = readCsv('nvidia_gpu_exporter__section-compute-apps-load__windows-x86_64__nvidia-geforce-rtx-2080-super__610.62.csv');
    const result = parseComputeApps(text);
    expect(result.errors).toEqual([]);
    expect(result.rows).toHaveLength(21);
    expect(result.rows.every((r) => r.usedMemoryMiB === null)).toBe(true);
    expect(result.rows[0]).toEqual({ pid: 2140, processName: 'C:\\Windows\\System32\\dwm.exe', usedMemoryMiB: null, gpuUuid: PARENT_UUID });
    expect(result.rows.some((r) => r.processName?.includes('Program Files (x86)'))).toBe(true);
    expect(parseQueryCsv(text).rows.every((r) => r['gpu_serial'] === null)).toBe(true);
  });

  it('nounits memory and the used_memory alias', () => {
    const result = parseComputeApps('pid, process_name, used_memory [MiB]\n5, python, 1234\n');
    expect(result.rows).toEqual([{ pid: 5, processName: 'python', usedMemoryMiB: 1234, gpuUuid: null }]);
  });

  it('header only (idle) gives no rows and no errors', () => {
    expect(parseComputeApps('timestamp, gpu_name, gpu_bus_id, gpu_serial, gpu_uuid, pid, process_name, used_gpu_memory [MiB]\n')).toEqual({ rows: [], errors: [] });
  });

  it('rows without a usable pid and CSVs without a pid column are reported', () => {
    expect(parseComputeApps('pid, process_name\n[N/A], x\n0, y\n').errors).toEqual(['row 1: no usable pid', 'row 2: no usable pid']);
    expect(parseComputeApps('gpu_uuid, process_name\nGPU-1, x\n')).toEqual({ rows: [], errors: ['compute-apps CSV has no pid column'] });
    expect(parseComputeApps('').errors).toEqual(['CSV input has no header line']);
  });
});
