import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseNvidiaSmiXml, type XmlGpu, type XmlParseResult } from './parse-xml.ts';

const XML_DIR = fileURLToPath(new URL('../../../test/fixtures/nvidia-smi/xml/', import.meta.url));
const readXml = (name: string): string => readFileSync(join(XML_DIR, name), 'utf8');

function parseOk(xml: string): Extract<XmlParseResult, { ok: true }> {
  const result = parseNvidiaSmiXml(xml);
  if (!result.ok) throw new Error(`expected ok, got: ${result.message}`);
  return result;
}

function onlyGpu(name: string): XmlGpu {
  const result = parseOk(readXml(name));
  expect(result.gpus).toHaveLength(1);
  return result.gpus[0] as XmlGpu;
}

const fixtureNames = readdirSync(XML_DIR).filter((f) => f.endsWith('.xml')).sort();

describe('parseNvidiaSmiXml on every XML fixture', () => {
  it('has the 20 MIT telegraf files and 2 synthetic ones', () => {
    expect(fixtureNames.filter((f) => f.startsWith('telegraf__'))).toHaveLength(20);
    expect(fixtureNames.filter((f) => f.startsWith('synthetic__'))).toHaveLength(2);
  });

  it.each(fixtureNames)('%s parses, one entry per <gpu> element', (name) => {
    const xml = readXml(name);
    const result = parseOk(xml);
    const gpuElements = xml.match(/<gpu[\s>]/g)?.length ?? 0;
    expect(gpuElements).toBeGreaterThan(0);
    expect(result.gpus).toHaveLength(gpuElements);
    result.gpus.forEach((gpu, i) => {
      expect(gpu.position).toBe(i);
      expect(gpu.pciBusId).toMatch(/^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/);
      expect(gpu.uuid).toMatch(/^GPU-[0-9a-f-]+$/);
    });
    const processElements = xml.match(/<process_info>/g)?.length ?? 0;
    expect(result.gpus.reduce((n, g) => n + g.processes.length, 0)).toBe(processElements);
  });
});

describe('spot checks on real files', () => {
  it('A100 MIG (driver 535): 4 MIG devices GI 3,4,5,6 / CI 0, N/A utilisation → null, <processes />', () => {
    const result = parseOk(readXml('telegraf__a100-sxm4-v12.xml'));
    expect(result.driverVersion).toBe('535.54.03');
    expect(result.cudaVersion).toBe('12.2');
    expect(result.warnings).toEqual([
      'attached_gpus says 4 but the document holds 1 <gpu> element(s); using the elements',
    ]);
    const gpu = result.gpus[0];
    expect(gpu).toMatchObject({
      pciBusId: '0000:01:00.0',
      uuid: 'GPU-513536b6-7d19-9063-b049-1e69664bb298',
      name: 'NVIDIA A100-SXM4-80GB',
      memoryTotalMiB: 81920,
      memoryUsedMiB: 50,
      utilizationPct: null,
      temperatureC: 27,
      powerW: 67.03,
      migMode: 'enabled',
      processes: [],
    });
    expect(gpu?.migDevices.map((d) => [d.index, d.gpuInstanceId, d.computeInstanceId])).toEqual([
      [0, 3, 0],
      [1, 4, 0],
      [2, 5, 0],
      [3, 6, 0],
    ]);
    expect(gpu?.migDevices.every((d) => d.memoryTotalMiB === 19968 && d.memoryUsedMiB === 12)).toBe(true);
  });

  it('RTX 3080 desktop: five G processes, command lines with ", " kept whole', () => {
    const gpu = onlyGpu('telegraf__rtx-3080-v12.xml');
    expect(gpu.pciBusId).toBe('0000:04:00.0');
    expect(gpu.processes.map((p) => [p.pid, p.type, p.usedMemoryMiB])).toEqual([
      [835, 'G', 550],
      [1481, 'G', 18],
      [2214, 'G', 79],
      [4044, 'G', 541],
      [42416, 'G', 159],
    ]);
    const edge = gpu.processes[2];
    expect(edge?.processName).toMatch(/^\/opt\/microsoft\/msedge\/msedge --type=gpu-process /);
    expect(edge?.processName).toContain('--enable-crash-reporter=, --change-stack-guard-on-fork=enable');
    expect(edge?.gpuInstanceId).toBeNull();
    expect(edge?.computeInstanceId).toBeNull();
  });

  it('keeps version strings as text ("536.40", "12.0" are not turned into numbers)', () => {
    expect(parseOk(readXml('telegraf__rtx-3080-v12.xml')).driverVersion).toBe('536.40');
    expect(parseOk(readXml('telegraf__quadro-p2000-v12.xml')).cudaVersion).toBe('12.0');
  });

  it('Windows vGPU guest (GRID P4-1Q): 13 C+G processes, empty names and N/A memory → null', () => {
    const gpu = onlyGpu('telegraf__tesla_p4.xml');
    expect(gpu.name).toBe('GRID P4-1Q');
    expect(gpu.powerW).toBeNull();
    expect(gpu.processes).toHaveLength(13);
    for (const p of gpu.processes) {
      expect(p.type).toBe('C+G');
      expect(p.usedMemoryMiB).toBeNull();
    }
    const named = gpu.processes.filter((p) => p.processName !== null);
    expect(named.map((p) => p.processName)).toEqual(['C:\\Windows\\explorer.exe']);
    expect(gpu.processes[0]).toMatchObject({ pid: 1188, processName: null });
  });

  it('Windows Tesla T4 (512.78): 15 WDDM processes with null memory, 13 without a name', () => {
    const gpu = onlyGpu('telegraf__tesla_t4-windows-512.78.xml');
    expect(gpu.processes).toHaveLength(15);
    expect(gpu.processes.every((p) => p.usedMemoryMiB === null && p.type === 'C+G')).toBe(true);
    expect(gpu.processes.filter((p) => p.processName === null)).toHaveLength(13);
    expect(gpu.powerW).toBe(13.08);
  });

  it('trimmed GTX 1070 Ti: no driver or CUDA version, N/A power → null, metrics still read', () => {
    const result = parseOk(readXml('telegraf__gtx-1070-ti.xml'));
    expect(result.driverVersion).toBeNull();
    expect(result.cudaVersion).toBeNull();
    expect(result.warnings).toEqual([]);
    expect(result.gpus[0]).toMatchObject({
      name: 'GeForce GTX 1070 Ti',
      memoryTotalMiB: 4096,
      memoryUsedMiB: 42,
      utilizationPct: 0,
      temperatureC: 39,
      powerW: null,
      migMode: 'unsupported',
      processes: [],
    });
  });

  it('driver 418 without DOCTYPE: "Graphics Device", legacy power_readings', () => {
    const result = parseOk(readXml('telegraf__gtx-1660-ti.xml'));
    expect(result.driverVersion).toBe('418.43');
    expect(result.gpus[0]).toMatchObject({ name: 'Graphics Device', powerW: 8.93, pciBusId: '0000:43:00.0' });
  });

  it('v13 without gpu_power_readings/power_draw falls back to instant, then average', () => {
    expect(onlyGpu('telegraf__3090-v13.xml').powerW).toBe(35.15);
    const dual = parseOk(readXml('telegraf__dual_2070-v13.xml'));
    expect(dual.gpus.map((g) => g.powerW)).toEqual([9.23, 11.82]);
    const averageOnly = readXml('telegraf__3090-v13.xml').replace(
      '<instant_power_draw>35.15 W</instant_power_draw>',
      '<instant_power_draw>N/A</instant_power_draw>',
    );
    expect(parseOk(averageOnly).gpus[0]?.powerW).toBe(35.06);
  });

  it('<processes>\\n</processes> and <processes /> both give no processes', () => {
    expect(onlyGpu('telegraf__3090-v13.xml').processes).toEqual([]);
    expect(onlyGpu('telegraf__a100-sxm4-v12.xml').processes).toEqual([]);
  });

  it('dual A5000: two GPUs in document order, one llama-server pid on both', () => {
    const result = parseOk(readXml('telegraf__dual_a5000-v13.xml'));
    expect(result.gpus.map((g) => [g.position, g.pciBusId, g.memoryUsedMiB])).toEqual([
      [0, '0000:81:00.0', 22437],
      [1, '0000:c1:00.0', 17253],
    ]);
    expect(result.gpus.map((g) => g.processes.map((p) => [p.pid, p.usedMemoryMiB]))).toEqual([
      [[100477, 22430]],
      [[100477, 17246]],
    ]);
  });

  it('"Requested functionality has been deprecated" in a read field becomes null', () => {
    const xml = readXml('telegraf__3090-v13.xml');
    expect(xml).toContain('<display_mode>Requested functionality has been deprecated</display_mode>');
    const deprecated = xml.replace('<gpu_temp>32 C</gpu_temp>', '<gpu_temp>Requested functionality has been deprecated</gpu_temp>');
    expect(parseOk(xml).gpus[0]?.temperatureC).toBe(32);
    expect(parseOk(deprecated).gpus[0]?.temperatureC).toBeNull();
  });

  it('tab-indented and space-indented files give the same kind of result', () => {
    expect(readXml('telegraf__tesla-t4.xml')).toMatch(/\n {4}<gpu /);
    expect(readXml('telegraf__rtx-3080-v12.xml')).toMatch(/\n\t<gpu /);
    expect(onlyGpu('telegraf__tesla-t4.xml').processes.map((p) => p.usedMemoryMiB)).toEqual([22, 1005]);
  });
});

describe('synthetic MIG-with-processes fixtures', () => {
  it('H100: processes carry numeric GI/CI ids from the capture (GI 2 / CI 0)', () => {
    const result = parseOk(readXml('synthetic__h100-mig-processes.xml'));
    expect(result.driverVersion).toBe('590.48.01');
    const gpu = result.gpus[0];
    expect(gpu).toMatchObject({ migMode: 'enabled', utilizationPct: null, memoryUsedMiB: 11125, temperatureC: 53, powerW: 444.72 });
    expect(gpu?.migDevices.map((d) => [d.index, d.gpuInstanceId, d.computeInstanceId, d.memoryTotalMiB])).toEqual([
      [0, 2, 0, 40448],
      [1, 3, 0, 20096],
      [2, 9, 0, 9984],
      [3, 10, 0, 9984],
    ]);
    expect(gpu?.processes).toEqual([
      { pid: 21180, type: 'C', processName: '/root/tools/memhog', usedMemoryMiB: 2296, gpuInstanceId: 2, computeInstanceId: 0 },
      { pid: 21181, type: 'C', processName: '/root/tools/memhog', usedMemoryMiB: 1272, gpuInstanceId: 2, computeInstanceId: 0 },
      { pid: 21198, type: 'C', processName: './gpu_burn', usedMemoryMiB: 7484, gpuInstanceId: 2, computeInstanceId: 0 },
    ]);
  });

  it('H200: the same GI appears twice with CI 0 and CI 1', () => {
    const gpu = onlyGpu('synthetic__h200-mig-processes-two-ci.xml');
    expect(gpu.migDevices.filter((d) => d.gpuInstanceId === 2).map((d) => d.computeInstanceId)).toEqual([0, 1]);
    expect(gpu.processes.map((p) => [p.pid, p.gpuInstanceId, p.computeInstanceId])).toEqual([
      [12249, 2, 1],
      [12250, 2, 1],
      [12267, 2, 1],
    ]);
  });
});

const MINIMAL = (inner: string, head = ''): string =>
  `<?xml version="1.0" ?>\n${head}<nvidia_smi_log>\n<driver_version>550.54.15</driver_version>\n${inner}\n</nvidia_smi_log>\n`;

describe('edge cases', () => {
  it('a <gpu> with no usable fields still yields an entry of nulls', () => {
    for (const gpuXml of ['<gpu/>', '<gpu></gpu>', '<gpu id="00000000:02:00.0"><foo>1</foo></gpu>', '<gpu>text only</gpu>']) {
      const result = parseOk(MINIMAL(gpuXml));
      expect(result.gpus).toHaveLength(1);
      expect(result.gpus[0]).toMatchObject({
        position: 0,
        uuid: null,
        name: null,
        memoryTotalMiB: null,
        memoryUsedMiB: null,
        utilizationPct: null,
        temperatureC: null,
        powerW: null,
        migMode: 'unsupported',
        migDevices: [],
        processes: [],
      });
    }
  });

  it('warns about an unusable PCI id and falls back to pci/pci_bus_id', () => {
    const bad = parseOk(MINIMAL('<gpu id="garbage"><uuid>GPU-1</uuid></gpu>'));
    expect(bad.gpus[0]?.pciBusId).toBeNull();
    expect(bad.warnings).toContain('gpu[0]: unrecognised PCI bus id "garbage"');
    const fallback = parseOk(MINIMAL('<gpu><pci><pci_bus_id>00000000:3B:00.0</pci_bus_id></pci></gpu>'));
    expect(fallback.gpus[0]?.pciBusId).toBe('0000:3b:00.0');
  });

  it('an empty log is ok but says it holds no GPUs', () => {
    const result = parseOk(MINIMAL(''));
    expect(result.gpus).toEqual([]);
    expect(result.warnings).toContain('document contains no <gpu> elements');
  });

  it('strips a bracketed suffix from driver_version (driver 610 style) and falls back to kmd_version', () => {
    const suffixed = MINIMAL('<gpu/>').replace(
      '550.54.15',
      '610.57.04 [Deprecated; will be removed in CUDA 14.0. Use KMD Version instead]',
    );
    expect(parseOk(suffixed).driverVersion).toBe('610.57.04');
    const kmd = '<nvidia_smi_log><driver_version>N/A</driver_version><kmd_version>610.57.04</kmd_version><gpu/></nvidia_smi_log>';
    expect(parseOk(kmd).driverVersion).toBe('610.57.04');
  });

  it('trims values and decodes the predefined entities, but never expands DOCTYPE entities', () => {
    const xml = MINIMAL(
      '<gpu><product_name>  Tesla &amp; Co  </product_name><processes><process_info><pid>7</pid>' +
        '<process_name>&lt;x&gt; &#65;&#x42; &#99999999;</process_name></process_info></processes></gpu>',
    );
    const gpu = parseOk(xml).gpus[0];
    expect(gpu?.name).toBe('Tesla & Co');
    expect(gpu?.processes[0]?.processName).toBe('<x> AB &#99999999;');

    const entity = '<!DOCTYPE nvidia_smi_log [<!ENTITY boom "EXPANDED">]>\n';
    const withEntity = parseOk(MINIMAL('<gpu><product_name>&boom;</product_name></gpu>', entity));
    expect(withEntity.gpus[0]?.name).toBe('&boom;');
  });

  it('skips a process without a usable pid and says so', () => {
    const result = parseOk(
      MINIMAL('<gpu><processes><process_info><pid>N/A</pid></process_info><process_info><pid>42</pid></process_info></processes></gpu>'),
    );
    expect(result.gpus[0]?.processes.map((p) => p.pid)).toEqual([42]);
    expect(result.warnings).toContain('gpu[0]: process_info[0] has no usable pid; skipped');
  });

  it('reads MIG mode case-insensitively; Disabled and N/A are distinct', () => {
    const mode = (value: string): string | undefined =>
      parseOk(MINIMAL(`<gpu><mig_mode><current_mig>${value}</current_mig></mig_mode></gpu>`)).gpus[0]?.migMode;
    expect(mode('Enabled')).toBe('enabled');
    expect(mode('DISABLED')).toBe('disabled');
    expect(mode('N/A')).toBe('unsupported');
  });
});

describe('failures are results, never exceptions', () => {
  const failure = (input: string): string => {
    const result = parseNvidiaSmiXml(input);
    if (result.ok) throw new Error('expected a failure');
    return result.message;
  };

  it('empty and blank input', () => {
    expect(failure('')).toBe('nvidia-smi XML output is empty');
    expect(failure(' \n\t ')).toBe('nvidia-smi XML output is empty');
  });

  it('plain text such as an nvidia-smi driver error is quoted back', () => {
    const message = failure("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n");
    expect(message).toContain('not well-formed XML');
    expect(message).toContain('output starts with "NVIDIA-SMI has failed');
  });

  it('a truncated real document is reported as truncated', () => {
    const xml = readXml('telegraf__rtx-3080-v12.xml');
    const message = failure(xml.slice(0, Math.floor(xml.length / 2)));
    expect(message).toContain('not well-formed XML (line');
    expect(message).toContain('truncated');
  });

  it('HTML, well-formed or not, is rejected', () => {
    expect(failure('<!DOCTYPE html><html><body><p>502 Bad Gateway</body></html>')).toMatch(/not well-formed XML/);
    expect(failure('<html><body>ok</body></html>')).toBe('not an nvidia-smi XML log: expected <nvidia_smi_log>, found <html>');
  });

  it('a well-formed document with another root is rejected', () => {
    expect(failure('<?xml version="1.0"?><other_log><gpu/></other_log>')).toBe(
      'not an nvidia-smi XML log: expected <nvidia_smi_log>, found <other_log>',
    );
  });

  it('garbage bytes', () => {
    expect(failure('\u0000\u0001\u00ff garbage')).toContain('not well-formed XML');
    expect(failure('<<<>>>')).toContain('not well-formed XML');
  });
});
