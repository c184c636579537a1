/**
 * Parses every file in the shared real-data set (`<repo>/../shared/fixtures/real`), netdata's GPL-3.0 files
 * included: they are read in place, never copied into this repository. Skipped when the directory is absent,
 * except under CI, where its absence is a failure.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseHelpQueryFields, parseQueryCsv, splitExporterCapture } from './parse-csv.ts';
import { parseNvidiaSmiList } from './parse-list.ts';
import { parseNvidiaSmiXml } from './parse-xml.ts';

const REAL_DIR = fileURLToPath(new URL('../../../../shared/fixtures/real/', import.meta.url));
const present = existsSync(REAL_DIR);
const filesIn = (dir: string): string[] => (present ? readdirSync(join(REAL_DIR, dir)).sort() : []);
const read = (dir: string, name: string): string => readFileSync(join(REAL_DIR, dir, name), 'utf8');

if (!present && process.env.CI) {
  describe('shared real fixtures', () => {
    it('are required under CI', () => {
      expect.fail(`shared real-data fixtures not found at ${REAL_DIR}; CI must provide ../shared/fixtures/real next to the repository`);
    });
  });
}

describe.skipIf(!present)('shared real fixtures: nvidia-smi -q -x (25 files)', () => {
  const files = filesIn('nvidia-smi-xml');

  it('holds 25 XML files', () => {
    expect(files.filter((f) => f.endsWith('.xml'))).toHaveLength(25);
  });

  it.each(files)('%s parses with one entry per <gpu> element', (name) => {
    const xml = read('nvidia-smi-xml', name);
    const result = parseNvidiaSmiXml(xml);
    if (!result.ok) throw new Error(result.message);
    expect(result.gpus).toHaveLength(xml.match(/<gpu[\s>]/g)?.length ?? -1);
    expect(result.gpus.reduce((n, g) => n + g.processes.length, 0)).toBe(xml.match(/<process_info>/g)?.length ?? 0);
  });

  it('netdata A100 MIG (driver 510): 2 MIG devices GI 1 and 2, empty <processes>\\n</processes>', () => {
    const result = parseNvidiaSmiXml(read('nvidia-smi-xml', 'netdata__a100-sxm4-mig.xml'));
    if (!result.ok) throw new Error(result.message);
    const gpu = result.gpus[0];
    expect(gpu?.migMode).toBe('enabled');
    expect(gpu?.migDevices.map((d) => [d.index, d.gpuInstanceId, d.computeInstanceId, d.memoryTotalMiB])).toEqual([
      [0, 1, 0, 19968],
      [1, 2, 0, 19968],
    ]);
    expect(gpu?.processes).toEqual([]);
  });

  it('netdata RTX 2080 on Windows: 26 C+G processes, memory N/A → null', () => {
    const result = parseNvidiaSmiXml(read('nvidia-smi-xml', 'netdata__rtx-2080-win.xml'));
    if (!result.ok) throw new Error(result.message);
    const processes = result.gpus[0]?.processes ?? [];
    expect(processes).toHaveLength(26);
    expect(processes.every((p) => p.type === 'C+G' && p.usedMemoryMiB === null)).toBe(true);
  });
});

describe.skipIf(!present)('shared real fixtures: CSV, captures and help (18 files)', () => {
  const files = filesIn('nvidia-smi-csv');

  it('holds 18 files', () => {
    expect(files).toHaveLength(18);
  });

  it.each(files)('%s parses', (name) => {
    const text = read('nvidia-smi-csv', name);
    if (name.includes('__capture__')) {
      const sections = splitExporterCapture(text);
      const csvSections = sections.filter((s) => s.command?.includes('--format=csv') === true);
      expect(csvSections.length).toBeGreaterThan(0);
      for (const s of csvSections) expect(parseQueryCsv(s.body).errors).toEqual([]);
    } else if (name.includes('help-query-gpu')) {
      expect(parseHelpQueryFields(text).length).toBeGreaterThan(100);
    } else {
      const result = parseQueryCsv(text);
      expect(result.errors).toEqual([]);
      expect(result.rows.length).toBeGreaterThan(0);
    }
  });

  it('netdata Tesla P100 csv,nounits: bracketed units in the header, bare values, no final newline', () => {
    const text = read('nvidia-smi-csv', 'netdata__tesla-p100.csv');
    expect(text.endsWith('\n')).toBe(false);
    const result = parseQueryCsv(text);
    expect(result.columns).toContain('memory.used');
    expect(result.rows[0]).toMatchObject({ name: 'Tesla P100-PCIE-16GB', 'fan.speed': null, 'memory.used': '0', 'power.draw': '28.16' });
  });
});

describe.skipIf(!present)('shared real fixtures: nvidia-smi -L (4 files)', () => {
  const files = filesIn('nvidia-smi-L');

  it('holds 4 files', () => {
    expect(files).toHaveLength(4);
  });

  it.each(files)('%s parses without leftovers', (name) => {
    const result = parseNvidiaSmiList(read('nvidia-smi-L', name));
    expect(result.unparsedLines).toEqual([]);
    expect(result.gpus.length).toBeGreaterThan(0);
  });
});
