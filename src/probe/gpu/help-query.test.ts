import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { splitExporterCapture } from './exporter-capture.ts';
import { parseHelpQueryFields } from './help-query.ts';

const CSV_DIR = fileURLToPath(new URL('../../../test/fixtures/nvidia-smi/csv/', import.meta.url));
const read = (name: string): string => readFileSync(join(CSV_DIR, name), 'utf8');

function helpSection(capture: string): string {
  return splitExporterCapture(read(capture)).find((s) => s.command === 'nvidia-smi --help-query-gpu')?.body ?? '';
}

describe('parseHelpQueryFields', () => {
  it('reads the standalone exporter help file: 115 fields, aliases kept, prose lines ignored', () => {
    const fields = parseHelpQueryFields(read('nvidia_gpu_exporter__help-query-gpu.txt'));
    expect(fields).toHaveLength(115);
    expect(fields.slice(0, 4)).toEqual([
      { name: 'timestamp', aliases: [] },
      { name: 'driver_version', aliases: [] },
      { name: 'count', aliases: [] },
      { name: 'name', aliases: ['gpu_name'] },
    ]);
    expect(fields.find((f) => f.name === 'gom.current')?.aliases).toEqual(['gpu_operation_mode.current']);
    const names = fields.map((f) => f.name);
    expect(names).not.toContain('Default');
    expect(names).not.toContain('Exclusive_Process');
    expect(new Set(names).size).toBe(names.length);
  });

  it.each([
    ['nvidia_gpu_exporter__capture__linux-x86_64__nvidia-h100-mig__590.48.01.txt', 212],
    ['nvidia_gpu_exporter__capture__linux-x86_64__nvidia-l40s__595.80.txt', 202],
    ['nvidia_gpu_exporter__capture__linux-x86_64__nvidia-geforce-rtx-2080-super__610.57.04.txt', 241],
    ['nvidia_gpu_exporter__capture__windows-x86_64__nvidia-geforce-rtx-2080-super__610.62.txt', 239],
  ])('%s: more than 200 fields (%d)', (capture, count) => {
    const fields = parseHelpQueryFields(helpSection(capture));
    expect(fields.length).toBeGreaterThan(200);
    expect(fields).toHaveLength(count);
  });

  it('driver 610 documents kmd_version; 590 does not', () => {
    const names610 = parseHelpQueryFields(helpSection('nvidia_gpu_exporter__capture__linux-x86_64__nvidia-geforce-rtx-2080-super__610.57.04.txt')).map((f) => f.name);
    const names590 = parseHelpQueryFields(helpSection('nvidia_gpu_exporter__capture__linux-x86_64__nvidia-h100-mig__590.48.01.txt')).map((f) => f.name);
    expect(names610).toContain('kmd_version');
    expect(names590).not.toContain('kmd_version');
    expect(names590).toContain('mig.mode.current');
  });

  it('ignores quoted prose and handles CRLF and empty input', () => {
    const text = '"0: Default" means many contexts.\r\n"pid"\r\n"used_memory" or "used_gpu_memory"\r\n"bad name"\r\n';
    expect(parseHelpQueryFields(text)).toEqual([
      { name: 'pid', aliases: [] },
      { name: 'used_memory', aliases: ['used_gpu_memory'] },
    ]);
    expect(parseHelpQueryFields('')).toEqual([]);
  });
});
