import { readFileSync } from 'node:fs';
import type { RawCapture, RawContainerCounters, RawProc } from '../src/probe/raw-capture.ts';

/** Shape of the generated host: the reference size of the probe benchmark. */
export interface LargeHostShape {
  gpus: number;
  migPerGpu: number;
  processes: number;
  gpuProcesses: number;
  containers: number;
  users: number;
}

/** 8 GPUs × 7 MIG instances, 1,000 processes (100 on GPUs), 200 containers, 40 users. */
export const REFERENCE_HOST: LargeHostShape = { gpus: 8, migPerGpu: 7, processes: 1000, gpuProcesses: 100, containers: 200, users: 40 };

/** The typical shared host of the ingest target: 8 whole GPUs (no MIG), 30 GPU processes, 20 containers, 12 users. */
export const TYPICAL_HOST: LargeHostShape = { gpus: 8, migPerGpu: 0, processes: 30, gpuProcesses: 30, containers: 20, users: 12 };

const TEMPLATE_XML = new URL('../test/fixtures/nvidia-smi/xml/telegraf__a100-sxm4-v12.xml', import.meta.url);
const BOOT_TIME_SEC = 1_780_000_000;

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0').slice(-width);
}
function containerId(i: number): string {
  return `${hex(0xc0ffee00 + i, 8)}`.repeat(8);
}
function gpuUuid(g: number): string {
  return `GPU-${hex(g, 8)}-b952-d15c-0740-12bc14859142`;
}
function migUuid(g: number, d: number): string {
  return `MIG-${hex(g * 16 + d, 8)}-0970-51d9-b761-0686be6b8af3`;
}

/**
 * Build the raw inputs of a large MIG host from real bytes: the A100 MIG capture's <gpu> and
 * <mig_device> blocks are cloned and renumbered, so the parser sees the driver's real element layout.
 */
export function generateLargeHost(shape: LargeHostShape = REFERENCE_HOST): RawCapture {
  const xml = readFileSync(TEMPLATE_XML, 'utf8');
  const gpuBlock = /<gpu id="[^"]*">[\s\S]*<\/gpu>/.exec(xml)?.[0];
  const migBlock = /<mig_device>[\s\S]*?<\/mig_device>/.exec(xml)?.[0];
  if (gpuBlock === undefined || migBlock === undefined) throw new Error('template XML lacks <gpu> or <mig_device>');

  const gpuPids: number[] = [];
  const procs = new Map<number, RawProc>();
  const users = Array.from({ length: shape.users }, (_, i) => ({ name: i % 2 === 0 ? `${228700 + i}@hertie-school.lan` : `user.${i}@hertie-school.lan`, uid: 1000 + i }));
  const containerCount = shape.containers;

  for (let i = 0; i < shape.processes; i++) {
    const pid = 10_000 + i;
    const onGpu = i < shape.gpuProcesses;
    const user = users[i % users.length] ?? { name: 'root', uid: 0 };
    const inContainer = onGpu ? i % 5 !== 0 : i % 2 === 0;
    const cgroup = inContainer
      ? `0::/system.slice/docker-${containerId(i % containerCount)}.scope\n`
      : `0::/user.slice/user-${user.uid}.slice/session-${i}.scope\n`;
    // The probe reads /proc only for the pids nvidia-smi reports, so a capture of this host holds just those;
    // the other processes exist on the host but cost the probe nothing.
    if (!onGpu) continue;
    procs.set(pid, {
      cgroup,
      status: `Name:\tpython3\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t${pid}\nPid:\t${pid}\nPPid:\t1\nUid:\t${user.uid}\t${user.uid}\t${user.uid}\t${user.uid}\nGid:\t${user.uid}\t${user.uid}\t${user.uid}\t${user.uid}\n`,
      stat: `${pid} (python3) S 1 ${pid} ${pid} 0 -1 4194560 1000 0 0 0 500 20 0 0 20 0 4 0 ${123456 + i} 1000000 200 18446744073709551615 1 1 0 0 0 0 0 16781312 2 0 0 0 17 3 0 0 0 0 0\n`,
      loginuid: inContainer ? '4294967295' : String(user.uid),
      cmdline: `python3\u0000train.py\u0000--epochs\u000010\u0000`,
    });
    if (onGpu) gpuPids.push(pid);
  }

  const gpus: string[] = [];
  for (let g = 0; g < shape.gpus; g++) {
    const migs = Array.from({ length: shape.migPerGpu }, (_, d) =>
      migBlock
        .replace(/<index>\d+<\/index>/, `<index>${d}</index>`)
        .replace(/<gpu_instance_id>\d+<\/gpu_instance_id>/, `<gpu_instance_id>${d + 7}</gpu_instance_id>`),
    ).join('\n');
    const processes = gpuPids
      .map((pid, i) => ({ pid, i }))
      .filter(({ i }) => i % shape.gpus === g)
      .map(({ pid, i }) => {
        const d = shape.migPerGpu === 0 ? null : Math.floor(i / shape.gpus) % shape.migPerGpu;
        return `<process_info><gpu_instance_id>${d === null ? 'N/A' : d + 7}</gpu_instance_id><compute_instance_id>${d === null ? 'N/A' : 0}</compute_instance_id><pid>${pid}</pid><type>C</type><process_name>python3</process_name><used_memory>${1000 + i} MiB</used_memory></process_info>`;
      })
      .join('\n');
    gpus.push(
      gpuBlock
        .replace(/<gpu id="[^"]*">/, `<gpu id="00000000:${hex(0x10 + g, 2)}:00.0">`)
        .replace(/<uuid>[^<]*<\/uuid>/, `<uuid>${gpuUuid(g)}</uuid>`)
        .replace(/<mig_devices>[\s\S]*<\/mig_devices>/, `<mig_devices>\n${shape.migPerGpu === 0 ? 'None' : migs}\n</mig_devices>`)
        .replace(/<current_mig>[^<]*<\/current_mig>/, shape.migPerGpu === 0 ? '<current_mig>Disabled</current_mig>' : '$&')
        .replace(/<processes\s*\/>|<processes>[\s\S]*?<\/processes>/, `<processes>\n${processes}\n</processes>`),
    );
  }
  const fullXml = xml.replace(/<gpu id="[^"]*">[\s\S]*<\/gpu>/, gpus.join('\n')).replace(/<attached_gpus>\d+/, `<attached_gpus>${shape.gpus}`);
  const list = Array.from({ length: shape.gpus }, (_, g) => [
    `GPU ${g}: NVIDIA A100-SXM4-80GB (UUID: ${gpuUuid(g)})`,
    ...Array.from({ length: shape.migPerGpu }, (_, d) => `  MIG 1g.10gb     Device ${String(d).padStart(2)}: (UUID: ${migUuid(g, d)})`),
  ].join('\n')).join('\n');

  const inspect = Array.from({ length: containerCount }, (_, i) => {
    const user = users[i % users.length] ?? { name: 'root', uid: 0 };
    const home = `/home/${user.name}`;
    const labels: Record<string, string> =
      i % 4 === 0 ? { 'ds01.user': user.name, 'ds01.managed': 'true' }
      : i % 4 === 1 ? { 'devcontainer.local_folder': `${home}/proj${i}` }
      : i % 4 === 2 ? { 'com.docker.compose.project': `p${i}`, 'com.docker.compose.project.working_dir': `${home}/p${i}` }
      : {};
    return {
      Id: containerId(i),
      Name: `/ctr-${i}`,
      Created: '2026-11-20T10:00:00.123456789Z',
      State: { Status: i % 10 === 0 ? 'exited' : 'running', Pid: i % 10 === 0 ? 0 : 50_000 + i, StartedAt: '2026-11-20T10:00:01.5Z', FinishedAt: '0001-01-01T00:00:00Z' },
      Image: 'sha256:abc',
      Config: { Image: 'pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime', Labels: labels, Env: ['PATH=/usr/bin', 'NVIDIA_VISIBLE_DEVICES=all'] },
      HostConfig: {
        Runtime: 'runc',
        DeviceRequests: i % 3 === 0 ? [{ Driver: 'nvidia', Count: 0, DeviceIDs: [shape.migPerGpu === 0 ? gpuUuid(i % shape.gpus) : migUuid(i % shape.gpus, i % shape.migPerGpu)], Capabilities: [['gpu']], Options: null }] : null,
      },
      Mounts: [{ Type: 'bind', Source: `${home}/data${i}`, Destination: '/data', Mode: '', RW: true, Propagation: 'rprivate' }],
    };
  });
  const mountOwners = Object.fromEntries(inspect.map((c, i) => [c.Mounts[0]?.Source ?? '', users[i % users.length]?.uid ?? 0]));
  // Two counter readings 30 s apart per running container (v2 files shaped like the real capture), as a probe
  // that kept the previous cycle in memory has them.
  const counters = new Map<string, RawContainerCounters>();
  const previousCounters = new Map<string, RawContainerCounters>();
  const netDev = (rx: number, tx: number): string =>
    `Inter-|   Receive                                                |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0\n  eth0: ${rx}    8069    0    0    0     0          0         0   ${tx}    6287    0    0    0     0       0          0\n`;
  inspect.forEach((c, i) => {
    if (c.State.Status !== 'running') return;
    const reading = (readAt: string, k: number): RawContainerCounters => ({
      readAt, startedAt: '2026-11-20T10:00:01.500Z', pid: c.State.Pid, networkMode: 'default',
      cgroup: `0::/system.slice/docker-${c.Id}.scope\n`,
      cpuStat: `usage_usec ${k * 9_000_000 + i}\nuser_usec ${k * 8_000_000}\nsystem_usec ${k * 1_000_000}\nnice_usec 0\n`,
      cgroupProcs: `${c.State.Pid}\n${c.State.Pid + 1}\n${c.State.Pid + 2}\n`,
      comms: `${c.State.Pid} tini\n${c.State.Pid + 1} bash\n${c.State.Pid + 2} python3\n`,
      netDev: netDev(k * 1_000_000 + i, k * 10_000 + i),
    });
    previousCounters.set(c.Id, reading('2026-11-25T11:59:30.000Z', 1));
    counters.set(c.Id, reading('2026-11-25T12:00:00.000Z', 2));
  });
  const passwd = users.map((u) => `${u.name}:*:${u.uid}:${u.uid}::/home/${u.name}:/bin/bash`).join('\n');

  return {
    meta: { host: 'bench-host', takenAt: '2026-11-25T12:00:00.000Z', bootTimeSec: BOOT_TIME_SEC, clockTicksPerSec: 100 },
    nvidiaSmiXml: { ok: true, value: fullXml },
    nvidiaSmiList: { ok: true, value: `${list}\n` },
    dockerInspect: { ok: true, value: inspect },
    mountOwners,
    passwd: { ok: true, value: `${passwd}\n` },
    proc: procs,
    notes: [],
    exitedPids: [],
    counters,
    previousCounters,
  };
}
