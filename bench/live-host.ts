// Part of bench:probe: lay a generated large host out as the live sources the probe reads — a fake /proc and
// cgroup tree, home folders owned by the users, a stand-in nvidia-smi printing the generated XML, a stand-in
// getent answering from the generated passwd — so the real collect cycle runs without a GPU or Docker engine.
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InspectDoc } from '../test/support/fake-docker-api.ts';
import type { RawCapture } from '../src/probe/raw-capture.ts';

/** Where the fake sources of one generated host live. */
export interface LiveHostFiles {
  procRoot: string;
  sysfsRoot: string;
  homeRoot: string;
  nvidiaSmiPath: string;
  getentPath: string;
  /** The engine's inspect documents, homes rewritten under homeRoot. */
  docs: InspectDoc[];
}

/** Write /proc/<pid> of every GPU process, /proc/stat and the cgroup/net counters of every running container. */
export function writeFakeProcTree(raw: RawCapture, procRoot: string, sysfsRoot: string): void {
  mkdirSync(procRoot, { recursive: true });
  writeFileSync(join(procRoot, 'stat'), `cpu  1 2 3 4\nbtime ${raw.meta.bootTimeSec ?? 0}\n`);
  for (const [pid, files] of raw.proc) {
    mkdirSync(join(procRoot, String(pid)), { recursive: true });
    for (const [name, text] of Object.entries(files)) if (typeof text === 'string') writeFileSync(join(procRoot, String(pid), name), text);
  }
  for (const [id, r] of raw.counters) {
    mkdirSync(join(procRoot, String(r.pid), 'net'), { recursive: true });
    writeFileSync(join(procRoot, String(r.pid), 'cgroup'), r.cgroup ?? '');
    writeFileSync(join(procRoot, String(r.pid), 'net/dev'), r.netDev ?? '');
    for (const line of (r.comms ?? '').trim().split('\n')) {
      const [pid = '', comm = ''] = line.split(' ');
      mkdirSync(join(procRoot, pid), { recursive: true });
      writeFileSync(join(procRoot, pid, 'comm'), `${comm}\n`);
    }
    const cg = join(sysfsRoot, 'fs/cgroup/system.slice', `docker-${id}.scope`);
    mkdirSync(cg, { recursive: true });
    writeFileSync(join(cg, 'cpu.stat'), r.cpuStat ?? '');
    writeFileSync(join(cg, 'cgroup.procs'), r.cgroupProcs ?? '');
  }
}

/** A stand-in getent: `getent passwd -- KEY…` prints the lines of `passwdFile` whose name or uid is a key, exit 2 if one is missing. */
function writeFakeGetent(dir: string, passwdFile: string): string {
  const path = join(dir, 'getent');
  const script = `#!/bin/sh
[ "$1" = passwd ] || exit 1
shift; [ "$1" = -- ] && shift
rc=0
for k in "$@"; do
  awk -F: -v k="$k" '$1==k||$3==k{print;found=1;exit} END{exit !found}' '${passwdFile}' || rc=2
done
exit $rc
`;
  writeFileSync(path, script, { mode: 0o755 });
  return path;
}

/** A stand-in nvidia-smi: `-L` prints the generated list, anything else the generated `-q -x` XML with the time of the call. */
function writeFakeNvidiaSmi(dir: string, xml: string, list: string): string {
  writeFileSync(join(dir, 'q.xml'), xml);
  writeFileSync(join(dir, 'L.txt'), list);
  const path = join(dir, 'nvidia-smi');
  // A new <timestamp> on every run, as the real one prints: no cycle sees the same XML text twice.
  const script = `#!/bin/sh\nif [ "$1" = -L ]; then exec cat '${dir}/L.txt'; fi\nexec sed "s|<timestamp>[^<]*</timestamp>|<timestamp>$(date +%s.%N)</timestamp>|" '${dir}/q.xml'\n`;
  writeFileSync(path, script, { mode: 0o755 });
  return path;
}

/** Lay out every live source of `raw` under `root`. */
export function writeLiveHost(raw: RawCapture, root: string): LiveHostFiles {
  const procRoot = join(root, 'proc');
  const sysfsRoot = join(root, 'sys');
  const homeRoot = join(root, 'home');
  writeFakeProcTree(raw, procRoot, sysfsRoot);
  const inspect = raw.dockerInspect?.ok === true ? raw.dockerInspect.value : [];
  const docs = JSON.parse(JSON.stringify(inspect).replaceAll('"/home/', `"${homeRoot}/`)) as InspectDoc[];
  for (const [source, uid] of Object.entries(raw.mountOwners)) {
    const dir = source.replace(/^\/home\//, `${homeRoot}/`);
    mkdirSync(dir, { recursive: true });
    if (process.getuid?.() === 0) chownSync(dir, uid, uid);
  }
  const passwdFile = join(root, 'passwd');
  writeFileSync(passwdFile, raw.passwd?.ok === true ? raw.passwd.value : '');
  const xml = raw.nvidiaSmiXml?.ok === true ? raw.nvidiaSmiXml.value : '';
  const list = raw.nvidiaSmiList?.ok === true ? raw.nvidiaSmiList.value : '';
  const nvidiaSmiPath = writeFakeNvidiaSmi(root, xml, list);
  return { procRoot, sysfsRoot, homeRoot, nvidiaSmiPath, getentPath: writeFakeGetent(root, passwdFile), docs };
}
