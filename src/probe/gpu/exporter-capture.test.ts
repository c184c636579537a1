import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { splitExporterCapture } from './exporter-capture.ts';
import { parseComputeApps, parseQueryCsv } from './parse-csv.ts';
import { parseNvidiaSmiList } from './parse-list.ts';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/nvidia-smi/', import.meta.url));
const read = (dir: string, name: string): string => readFileSync(join(FIXTURES, dir, name), 'utf8');
const captures = readdirSync(join(FIXTURES, 'csv')).filter((f) => f.includes('__capture__')).sort();
const RULE = '#'.repeat(80);

describe('splitExporterCapture on every capture', () => {
  it('finds the ten MIT captures', () => {
    expect(captures).toHaveLength(10);
  });

  it.each(captures)('%s: sections found, every CSV section parses cleanly', (name) => {
    const sections = splitExporterCapture(read('csv', name));
    expect(sections.length).toBeGreaterThanOrEqual(27);
    expect(sections[0]?.title).toBe('nvidia_gpu_exporter GPU capture');
    expect(sections[0]?.body).toMatch(/^# The GPU model/);
    for (const wanted of ['nvidia-smi -L', 'nvidia-smi -q', 'nvidia-smi --help-query-gpu', 'nvidia-smi']) {
      expect(sections.some((s) => s.command === wanted)).toBe(true);
    }
    const csvSections = sections.filter((s) => s.command?.includes('--format=csv') === true);
    expect(csvSections).toHaveLength(8); // idle + load × (query-gpu, compute-apps, accounted-apps, retired-pages)
    for (const s of csvSections) {
      const parsed = parseQueryCsv(s.body);
      expect(parsed.errors).toEqual([]);
      const queried = /--query-[a-z-]+=([^ ]+)/.exec(s.command ?? '')?.[1]?.split(',') ?? [];
      expect(parsed.columns).toHaveLength(queried.length);
    }
    const gpuRows = csvSections.filter((s) => s.command?.startsWith('nvidia-smi --query-gpu=')).map((s) => parseQueryCsv(s.body).rows.length);
    expect(gpuRows).toEqual([1, 1]);
    const list = parseNvidiaSmiList(sections.find((s) => s.command === 'nvidia-smi -L')?.body ?? '');
    expect(list.unparsedLines).toEqual([]);
    expect(list.gpus).toHaveLength(1);
  });

  it('H100 MIG: the -L section is the same as the verbatim list fixture', () => {
    const sections = splitExporterCapture(read('csv', 'nvidia_gpu_exporter__capture__linux-x86_64__nvidia-h100-mig__590.48.01.txt'));
    const body = sections.find((s) => s.title === 'capabilities :: list (-L)')?.body;
    expect(body).toBe(read('list', 'nvidia_gpu_exporter__section-L__h100-mig__590.48.01.txt').trimEnd());
  });

  it('H100 MIG: load compute-apps section equals the verbatim CSV fixture; idle has a header only', () => {
    const sections = splitExporterCapture(read('csv', 'nvidia_gpu_exporter__capture__linux-x86_64__nvidia-h100-mig__590.48.01.txt'));
    const load = sections.find((s) => s.title === 'load :: query-compute-apps (per-process)');
    const idle = sections.find((s) => s.title === 'idle :: query-compute-apps (per-process)');
    expect(load?.command).toBe('nvidia-smi --query-compute-apps=timestamp,gpu_name,gpu_bus_id,gpu_serial,gpu_uuid,pid,process_name,used_gpu_memory --format=csv');
    expect(load?.body).toBe(read('csv', 'nvidia_gpu_exporter__section-compute-apps-load__linux-x86_64__nvidia-h100-mig__590.48.01.csv').trimEnd());
    expect(parseComputeApps(idle?.body ?? 'x')).toEqual({ rows: [], errors: [] });
  });

  it('sections without a "# $" line have a title and a null command; "# gpu" lines in pmon output stay in the body', () => {
    const sections = splitExporterCapture(read('csv', 'nvidia_gpu_exporter__capture__linux-x86_64__nvidia-h100-mig__590.48.01.txt'));
    const derived = sections.find((s) => s.title?.startsWith('capabilities :: query-gpu field list'));
    expect(derived?.command).toBeNull();
    expect(derived?.body.split('\n')).toHaveLength(212);
    const pmon = sections.find((s) => s.title === 'load :: pmon (per-process monitor)');
    expect(pmon?.body).toMatch(/^# gpu {9}pid/);
    expect(pmon?.body).toContain('21180');
  });
});

describe('splitExporterCapture on hand-made text', () => {
  it('drops lone rules, trims blank lines around bodies, keeps the first # $ command', () => {
    const text = [
      RULE,
      '# one :: first',
      '# $ nvidia-smi -L',
      RULE,
      '',
      'GPU 0: X (UUID: GPU-1)',
      '',
      RULE,
      '',
      RULE,
      '# two',
      '# $ nvidia-smi',
      '# $ ignored second command',
      '# note line',
      RULE,
      'body two',
    ].join('\n');
    expect(splitExporterCapture(text)).toEqual([
      { title: 'one :: first', command: 'nvidia-smi -L', body: 'GPU 0: X (UUID: GPU-1)' },
      { title: 'two', command: 'nvidia-smi', body: 'body two' },
    ]);
  });

  it('text before the first header, text without headers, CRLF and empty input', () => {
    expect(splitExporterCapture('plain\ntext\n')).toEqual([{ title: null, command: null, body: 'plain\ntext' }]);
    expect(splitExporterCapture(`pre\r\n${RULE}\r\n# t\r\n# $ cmd\r\n${RULE}\r\nbody\r\n`)).toEqual([
      { title: null, command: null, body: 'pre' },
      { title: 't', command: 'cmd', body: 'body' },
    ]);
    expect(splitExporterCapture('')).toEqual([]);
    expect(splitExporterCapture(`${RULE}\n# empty\n${RULE}\n`)).toEqual([{ title: 'empty', command: null, body: '' }]);
  });

  it('a rule followed by non-comment lines is not a header', () => {
    expect(splitExporterCapture(`${RULE}\n# x\nnot a comment\n${RULE}\n`)).toEqual([
      { title: null, command: null, body: '# x\nnot a comment' },
    ]);
  });
});
