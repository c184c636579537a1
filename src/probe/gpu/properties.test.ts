/** Property tests: the parsers are total. Whatever the input, they return the documented shape and never throw. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGpus } from './build-gpus.ts';
import { parseComputeApps, parseHelpQueryFields, parseQueryCsv, splitExporterCapture } from './parse-csv.ts';
import { parseNvidiaSmiList, type ListParseResult } from './parse-list.ts';
import { parseNvidiaSmiXml, type XmlParseResult } from './parse-xml.ts';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/nvidia-smi/', import.meta.url));
const read = (path: string): string => readFileSync(join(FIXTURES, path), 'utf8');
const RUNS = { numRuns: 200 };

const XML_3080 = read('xml/telegraf__rtx-3080-v12.xml');
const XML_MIG = read('xml/synthetic__h100-mig-processes.xml');
const LIST_8X = read('list/nvidia_gpu_exporter__list_gpus_8xH100_mig_56x1g.10gb.txt');
const CSV_COMMA = read('csv/synthetic__compute-apps-comma-in-process-name.csv');
const CAPTURE = read('csv/nvidia_gpu_exporter__capture__linux-x86_64__nvidia-h100-mig__590.48.01.txt');

const isNullableNumber = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isFinite(v));
const isNullableString = (v: unknown): boolean => v === null || typeof v === 'string';

function expectXmlShape(result: XmlParseResult): void {
  if (!result.ok) {
    expect(typeof result.message).toBe('string');
    expect(result.message.length).toBeGreaterThan(0);
    return;
  }
  expect(isNullableString(result.driverVersion) && isNullableString(result.cudaVersion)).toBe(true);
  expect(result.warnings.every((w) => typeof w === 'string')).toBe(true);
  result.gpus.forEach((gpu, i) => {
    expect(gpu.position).toBe(i);
    expect(['enabled', 'disabled', 'unsupported']).toContain(gpu.migMode);
    for (const v of [gpu.memoryTotalMiB, gpu.memoryUsedMiB, gpu.utilizationPct, gpu.temperatureC, gpu.powerW]) {
      expect(isNullableNumber(v)).toBe(true);
    }
    expect([gpu.pciBusId, gpu.uuid, gpu.name].every(isNullableString)).toBe(true);
    for (const p of gpu.processes) expect(Number.isSafeInteger(p.pid) && p.pid > 0).toBe(true);
    for (const d of gpu.migDevices) expect([d.index, d.gpuInstanceId, d.computeInstanceId].every(isNullableNumber)).toBe(true);
  });
}

function expectListShape(result: ListParseResult): void {
  expect(result.unparsedLines.every((l) => typeof l === 'string' && l.trim() !== '')).toBe(true);
  for (const gpu of result.gpus) {
    expect(Number.isSafeInteger(gpu.index)).toBe(true);
    expect(typeof gpu.uuid).toBe('string');
    for (const mig of gpu.migDevices) expect(mig.uuid.startsWith('MIG-') && Number.isSafeInteger(mig.deviceIndex)).toBe(true);
  }
}

/** Random text: ASCII, arbitrary UTF-16 code units, and soups of nvidia-smi-like tokens. */
const XML_TOKENS = [
  '<?xml version="1.0" ?>', '<!DOCTYPE nvidia_smi_log SYSTEM "x.dtd">', '<!DOCTYPE x [<!ENTITY a "b">]>', '<nvidia_smi_log>',
  '</nvidia_smi_log>', '<gpu id="00000000:01:00.0">', '<gpu>', '</gpu>', '<gpu/>', '<processes>', '</processes>', '<processes />',
  '<process_info>', '</process_info>', '<pid>', '</pid>', '<mig_devices>', '</mig_devices>', '<mig_device>', '</mig_device>',
  '<index>', '</index>', '<gpu_instance_id>', '</gpu_instance_id>', '<fb_memory_usage><total>', '</total></fb_memory_usage>',
  '1', '0001', '40960 MiB', 'N/A', '&amp;', '&a;', '&#99999999;', '<![CDATA[x]]>', '<!-- c -->', ' ', '\n', '\t', '"', "'", '<', '>', '/',
];
const LINE_TOKENS = ['GPU 0: X (UUID: GPU-1)', '  MIG 1g.10gb     Device  0: (UUID: MIG-1)', 'MIG-GPU-1/1/0', '\r\n', '\n', ' ', ', ', '[N/A]', 'pid', 'process_name', 'N/A', '#'.repeat(80), '# $ nvidia-smi', '"name" or "gpu_name"'];
const tokenSoup = (tokens: string[]) => fc.array(fc.constantFrom(...tokens), { maxLength: 60 }).map((parts) => parts.join(''));
const anyText = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), tokenSoup(XML_TOKENS), tokenSoup(LINE_TOKENS));

/** Replaces up to 20 random bytes of a document, then decodes it as UTF-8 or Latin-1. */
const mutationsOf = (text: string) =>
  fc
    .tuple(
      fc.array(fc.tuple(fc.nat({ max: Buffer.byteLength(text) - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }),
      fc.constantFrom<BufferEncoding>('utf8', 'latin1'),
    )
    .map(([edits, encoding]) => {
      const bytes = Buffer.from(text, 'utf8');
      for (const [at, value] of edits) bytes[at] = value;
      return bytes.toString(encoding);
    });

describe('parseNvidiaSmiXml is total', () => {
  it('random strings', () => {
    fc.assert(fc.property(anyText, (s) => expectXmlShape(parseNvidiaSmiXml(s))), RUNS);
  });

  it('random truncations of real documents are never accepted as complete', () => {
    fc.assert(
      fc.property(fc.constantFrom(XML_3080, XML_MIG), fc.double({ min: 0, max: 1, noNaN: true }), (xml, fraction) => {
        const end = xml.lastIndexOf('</nvidia_smi_log>') + '</nvidia_smi_log>'.length;
        const cut = Math.min(end - 1, Math.floor(fraction * end));
        const result = parseNvidiaSmiXml(xml.slice(0, cut));
        expectXmlShape(result);
        expect(result.ok).toBe(false);
      }),
      RUNS,
    );
  });

  it('random byte mutations of real documents', () => {
    fc.assert(fc.property(fc.oneof(mutationsOf(XML_3080), mutationsOf(XML_MIG)), (s) => expectXmlShape(parseNvidiaSmiXml(s))), RUNS);
  });
});

describe('parseNvidiaSmiList is total', () => {
  it('random strings', () => {
    fc.assert(fc.property(anyText, (s) => expectListShape(parseNvidiaSmiList(s))), RUNS);
  });

  it('truncations and byte mutations of the 8×H100 list', () => {
    const input = fc.oneof(fc.nat({ max: LIST_8X.length }).map((n) => LIST_8X.slice(0, n)), mutationsOf(LIST_8X));
    fc.assert(
      fc.property(input, (s) => {
        const result = parseNvidiaSmiList(s);
        expectListShape(result);
        expect(result.gpus.length).toBeLessThanOrEqual(8);
      }),
      RUNS,
    );
  });
});

describe('CSV and capture parsers are total', () => {
  const checkCsv = (s: string, columns?: string[]): void => {
    const result = parseQueryCsv(s, columns === undefined ? undefined : { columns });
    expect(result.errors.every((e) => typeof e === 'string')).toBe(true);
    for (const row of result.rows) {
      expect(Object.keys(row)).toEqual(result.columns);
      expect(Object.values(row).every(isNullableString)).toBe(true);
    }
    const apps = parseComputeApps(s);
    expect(apps.rows.every((r) => Number.isSafeInteger(r.pid) && r.pid > 0 && isNullableNumber(r.usedMemoryMiB))).toBe(true);
  };

  it('random strings, with and without given columns', () => {
    const columns = fc.option(fc.uniqueArray(fc.constantFrom('pid', 'process_name', 'used_gpu_memory [MiB]', 'gpu_uuid'), { minLength: 1, maxLength: 4 }), { nil: undefined });
    fc.assert(fc.property(anyText, columns, (s, cols) => checkCsv(s, cols)), RUNS);
  });

  it('truncations and byte mutations of a compute-apps CSV', () => {
    const input = fc.oneof(fc.nat({ max: CSV_COMMA.length }).map((n) => CSV_COMMA.slice(0, n)), mutationsOf(CSV_COMMA));
    fc.assert(fc.property(input, (s) => checkCsv(s)), RUNS);
  });

  it('splitExporterCapture and parseHelpQueryFields on random text and a mutated capture', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, mutationsOf(CAPTURE)), (s) => {
        const sections = splitExporterCapture(s);
        expect(sections.every((x) => isNullableString(x.title) && isNullableString(x.command) && typeof x.body === 'string')).toBe(true);
        expect(parseHelpQueryFields(s).every((f) => f.name.length > 0 && Array.isArray(f.aliases))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe('buildGpus is total and never silently empty', () => {
  it('whatever the parsers returned', () => {
    const xmlInput = fc.option(fc.oneof(anyText, mutationsOf(XML_MIG)), { nil: null });
    const listInput = fc.option(fc.oneof(anyText, mutationsOf(LIST_8X)), { nil: null });
    fc.assert(
      fc.property(xmlInput, listInput, (xmlText, listText) => {
        const result = buildGpus(
          xmlText === null ? null : parseNvidiaSmiXml(xmlText),
          listText === null ? null : parseNvidiaSmiList(listText),
        );
        if (result.gpus.length === 0) expect(result.errors.length).toBeGreaterThan(0);
        expect(result.errors.every((e) => typeof e === 'string' && e.length <= 500)).toBe(true);
        for (const gpu of result.gpus) expect(Number.isSafeInteger(gpu.index) && gpu.index >= 0).toBe(true);
      }),
      RUNS,
    );
  });
});
