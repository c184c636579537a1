import { chmod, copyFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./fake-nvidia-smi.mjs', import.meta.url));

/** How the stand-in behaves: replay captured output, or fail the way the real nvidia-smi fails. */
export type FakeMode = 'ok' | 'driver-fail' | 'hang' | 'garbage';

/**
 * Replace the processes of a captured `nvidia-smi -q -x` with one entry per given pid, cloned round-robin
 * from the capture's own <process_info> entries (so every other byte stays as captured); optionally spread
 * them over the given MIG GPU-instance ids.
 */
export function substitutePids(xml: string, pids: readonly number[], gpuInstanceIds: readonly number[] = []): string {
  const templates = [...xml.matchAll(/<process_info>[\s\S]*?<\/process_info>/g)].map((m) => m[0]);
  if (templates.length === 0) throw new Error('captured XML has no <process_info> to clone');
  const entries = pids.map((pid, i) => {
    const entry = (templates[i % templates.length] ?? '').replace(/<pid>[^<]*<\/pid>/, `<pid>${pid}</pid>`);
    const gi = gpuInstanceIds[i % Math.max(gpuInstanceIds.length, 1)];
    return gi === undefined ? entry : entry.replace(/<gpu_instance_id>[^<]*<\/gpu_instance_id>/, `<gpu_instance_id>${gi}</gpu_instance_id>`);
  });
  let first = true;
  return xml.replace(/<process_info>[\s\S]*?<\/process_info>\s*/g, () => {
    if (!first) return '';
    first = false;
    return `${entries.join('\n\t\t\t')}\n\t\t`;
  });
}

/** The `nvidia-smi -L` lines the driver prints for the GPUs of a captured XML (non-MIG). */
export function listFor(xml: string): string {
  const gpus = [...xml.matchAll(/<gpu id="[^"]*">[\s\S]*?<product_name>([^<]*)<\/product_name>[\s\S]*?<uuid>([^<]*)<\/uuid>/g)];
  return gpus.map((m, i) => `GPU ${i}: ${m[1] ?? ''} (UUID: ${m[2] ?? ''})\n`).join('');
}

/** Create an executable stand-in nvidia-smi in a fresh folder; returns its path. */
export async function makeFakeNvidiaSmi(files: { xml?: string; list?: string; mode?: FakeMode }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gw-nvsmi-'));
  const bin = join(dir, 'nvidia-smi');
  await copyFile(SCRIPT, bin);
  await chmod(bin, 0o755);
  if (files.xml !== undefined) await writeFile(join(dir, 'q.xml'), files.xml);
  if (files.list !== undefined) await writeFile(join(dir, 'L.txt'), files.list);
  if (files.mode !== undefined) await writeFile(join(dir, 'mode'), files.mode);
  return bin;
}

/**
 * Create a wedged stand-in nvidia-smi: a shell script that ignores SIGTERM (`trap '' TERM`, inherited by its
 * `sleep`), appends its pid to `<dir>/pids`, then answers only after `sleepSec`. Returns its path and folder.
 */
export async function makeWedgedNvidiaSmi(sleepSec = 25): Promise<{ bin: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'gw-nvsmi-wedged-'));
  const bin = join(dir, 'nvidia-smi');
  const script = `#!/bin/sh\necho $$ >> '${dir}/pids'\ntrap '' TERM\nsleep ${sleepSec}\necho late\n`;
  await writeFile(bin, script, { mode: 0o755 });
  return { bin, dir };
}

/** Pids the wedged stand-in in `dir` wrote (one per run). */
export async function wedgedPids(dir: string): Promise<number[]> {
  const text = await readFile(join(dir, 'pids'), 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l.trim() !== '').map(Number);
}

/** Whether a process (not a zombie) or any live member of its process group still exists. */
export async function processOrGroupAlive(pid: number): Promise<boolean> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    if (stat === null) continue;
    // Fields after the `(comm)`: state ppid pgrp ...
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z') continue;
    if (Number(entry) === pid || Number(pgrp) === pid) return true;
  }
  return false;
}
