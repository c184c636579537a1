import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gpuLayoutOf } from './gpu-layout.ts';
import { parseNvidiaSmiXml } from './parse-xml.ts';

const XML = readFileSync(new URL('../../../test/fixtures/nvidia-smi/xml/synthetic__h100-mig-processes.xml', import.meta.url), 'utf8');

describe('gpuLayoutOf', () => {
  it('ignores readings and processes, sees MIG instances and GPUs', () => {
    const base = gpuLayoutOf(parseNvidiaSmiXml(XML));
    expect(base).toContain('GPU-');
    const busier = XML.replace(/<gpu_util>[^<]*<\/gpu_util>/, '<gpu_util>99 %</gpu_util>').replace(/<pid>\d+<\/pid>/, '<pid>4242</pid>');
    expect(gpuLayoutOf(parseNvidiaSmiXml(busier))).toBe(base);
    const otherGi = XML.replace(/<gpu_instance_id>(\d+)<\/gpu_instance_id>/, (_, n: string) => `<gpu_instance_id>${Number(n) + 20}</gpu_instance_id>`);
    expect(gpuLayoutOf(parseNvidiaSmiXml(otherGi))).not.toBe(base);
    const otherGpu = XML.replace(/<uuid>GPU-[^<]*<\/uuid>/, '<uuid>GPU-11111111-2222-3333-4444-555555555555</uuid>');
    expect(gpuLayoutOf(parseNvidiaSmiXml(otherGpu))).not.toBe(base);
  });

  it('is null for a failed parse', () => {
    expect(gpuLayoutOf(parseNvidiaSmiXml(''))).toBeNull();
  });
});

describe('parseNvidiaSmiXml memo', () => {
  it('gives the same result object for the same text, a new one for other text', () => {
    const a = parseNvidiaSmiXml(XML);
    expect(parseNvidiaSmiXml(`${XML}`)).toBe(a);
    const b = parseNvidiaSmiXml(XML.replace(/<gpu_util>[^<]*<\/gpu_util>/, '<gpu_util>7 %</gpu_util>'));
    expect(b).not.toBe(a);
    expect(parseNvidiaSmiXml(XML)).not.toBe(a);
    expect(parseNvidiaSmiXml(XML)).toEqual(a);
  });
});
