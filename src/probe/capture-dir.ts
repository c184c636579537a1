import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import {
  captureMetaSchema,
  captureNotesSchema,
  counterReadingSchema,
  exitedPidsSchema,
  mountOwnersSchema,
  rawErrorSchema,
  type RawCapture,
  type RawContainerCounters,
  type RawProc,
  type RawSource,
} from './raw-capture.ts';
import { CaptureFormatError } from './capture-format-error.ts';

/** File names of a capture folder, one per raw source. */
export const CAPTURE_FILES = {
  meta: 'meta.json',
  nvidiaSmiXml: 'nvidia-smi-q.xml',
  nvidiaSmiList: 'nvidia-smi-L.txt',
  dockerInspect: 'docker-inspect.json',
  mountOwners: 'mount-owners.json',
  passwd: 'passwd',
  notes: 'notes.json',
  exitedPids: 'exited-pids.json',
} as const;

const PROC_FILES = ['cgroup', 'status', 'stat', 'loginuid', 'cmdline', 'mountinfo'] as const;

/** Files of one container's counter reading under `usage/<current|previous>/<container id>/`. */
const COUNTER_FILES = {
  cgroup: 'cgroup',
  cpuStat: 'cpu.stat',
  cpuacctUsage: 'cpuacct.usage',
  cgroupProcs: 'cgroup.procs',
  comms: 'comms',
  netDev: 'net-dev',
} as const satisfies Record<string, string>;
const COUNTER_READING = 'reading.json';
const USAGE_READINGS = { counters: 'current', previousCounters: 'previous' } as const;

/** Thrown when a capture folder cannot be replayed at all (defined apart, so main can catch it without loading this). */
export { CaptureFormatError };

/** Write a RawCapture as a capture folder (the layout `--replay` reads back). */
export async function writeCaptureDir(dir: string, raw: RawCapture): Promise<void> {
  await mkdir(dir, { recursive: true });
  const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;
  await writeFile(join(dir, CAPTURE_FILES.meta), json(raw.meta));
  const writeSource = async <T>(name: string, src: RawSource<T> | null, encode: (v: T) => string): Promise<void> => {
    if (src === null) return;
    if (src.ok) await writeFile(join(dir, name), encode(src.value));
    else await writeFile(join(dir, `${name}.error.json`), json(src.error));
  };
  await writeSource(CAPTURE_FILES.nvidiaSmiXml, raw.nvidiaSmiXml, (v) => v);
  await writeSource(CAPTURE_FILES.nvidiaSmiList, raw.nvidiaSmiList, (v) => v);
  await writeSource(CAPTURE_FILES.dockerInspect, raw.dockerInspect, json);
  await writeSource(CAPTURE_FILES.passwd, raw.passwd, (v) => v);
  await writeFile(join(dir, CAPTURE_FILES.mountOwners), json(raw.mountOwners));
  if (raw.notes.length > 0) await writeFile(join(dir, CAPTURE_FILES.notes), json(raw.notes));
  if (raw.exitedPids.length > 0) await writeFile(join(dir, CAPTURE_FILES.exitedPids), json(raw.exitedPids));
  for (const [field, folder] of Object.entries(USAGE_READINGS) as [keyof typeof USAGE_READINGS, string][]) {
    for (const [id, reading] of raw[field]) {
      const readingDir = join(dir, 'usage', folder, id);
      await mkdir(readingDir, { recursive: true });
      const { readAt, startedAt, pid, networkMode } = reading;
      await writeFile(join(readingDir, COUNTER_READING), json({ readAt, startedAt, pid, networkMode }));
      for (const [key, file] of Object.entries(COUNTER_FILES) as [keyof typeof COUNTER_FILES, string][]) {
        const text = reading[key];
        if (text !== undefined) await writeFile(join(readingDir, file), text);
      }
    }
  }
  for (const [pid, files] of raw.proc) {
    const pidDir = join(dir, 'proc', String(pid));
    await mkdir(pidDir, { recursive: true });
    for (const name of PROC_FILES) {
      const text = files[name];
      if (text !== undefined) await writeFile(join(pidDir, name), text);
    }
  }
}

// Replay reads with sync calls on purpose: hundreds of small files cost ~10x more CPU through
// fs/promises (one thread-pool round trip per open/stat/read/close), and replay is a one-shot CLI path.
function readOptional(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CaptureFormatError(`${file}: not valid JSON (${(err as Error).message})`);
  }
}

function validate<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new CaptureFormatError(`${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
}

async function readSource<T>(dir: string, name: string, decode: (text: string) => T): Promise<RawSource<T> | null> {
  const text = readOptional(join(dir, name));
  if (text !== null) return { ok: true, value: decode(text) };
  const errText = readOptional(join(dir, `${name}.error.json`));
  if (errText === null) return null;
  return { ok: false, error: validate(rawErrorSchema, parseJson(errText, `${name}.error.json`), `${name}.error.json`) };
}

/** Read a capture folder back into a RawCapture; files that are absent were not collected. */
export async function readCaptureDir(dir: string): Promise<RawCapture> {
  const metaText = readOptional(join(dir, CAPTURE_FILES.meta));
  if (metaText === null) throw new CaptureFormatError(`${dir}: no ${CAPTURE_FILES.meta}, not a capture folder`);
  const meta = validate(captureMetaSchema, parseJson(metaText, CAPTURE_FILES.meta), CAPTURE_FILES.meta);
  const mountText = readOptional(join(dir, CAPTURE_FILES.mountOwners));
  const mountOwners =
    mountText === null ? {} : validate(mountOwnersSchema, parseJson(mountText, CAPTURE_FILES.mountOwners), CAPTURE_FILES.mountOwners);
  const notesText = readOptional(join(dir, CAPTURE_FILES.notes));
  const notes = notesText === null ? [] : validate(captureNotesSchema, parseJson(notesText, CAPTURE_FILES.notes), CAPTURE_FILES.notes);
  const exitedText = readOptional(join(dir, CAPTURE_FILES.exitedPids));
  const exitedPids =
    exitedText === null ? [] : validate(exitedPidsSchema, parseJson(exitedText, CAPTURE_FILES.exitedPids), CAPTURE_FILES.exitedPids);
  return {
    meta,
    nvidiaSmiXml: await readSource(dir, CAPTURE_FILES.nvidiaSmiXml, (t) => t),
    nvidiaSmiList: await readSource(dir, CAPTURE_FILES.nvidiaSmiList, (t) => t),
    dockerInspect: await readSource(dir, CAPTURE_FILES.dockerInspect, (t) => parseJson(t, CAPTURE_FILES.dockerInspect)),
    passwd: await readSource(dir, CAPTURE_FILES.passwd, (t) => t),
    mountOwners,
    notes,
    exitedPids,
    proc: readProcTree(join(dir, 'proc')),
    counters: readCounterTree(dir, USAGE_READINGS.counters),
    previousCounters: readCounterTree(dir, USAGE_READINGS.previousCounters),
  };
}

function readCounterTree(dir: string, folder: string): Map<string, RawContainerCounters> {
  const out = new Map<string, RawContainerCounters>();
  const base = join(dir, 'usage', folder);
  let ids: string[];
  try {
    ids = readdirSync(base);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw err;
  }
  const wanted = new Map<string, keyof typeof COUNTER_FILES>(Object.entries(COUNTER_FILES).map(([key, file]) => [file, key as keyof typeof COUNTER_FILES]));
  for (const id of ids) {
    if (!/^[0-9a-f]{64}$/.test(id)) continue;
    // List the folder once and read only what is there: a missing optional file costs a thrown ENOENT otherwise.
    const files = readdirSync(join(base, id));
    if (!files.includes(COUNTER_READING)) continue;
    const file = `usage/${folder}/${id}/${COUNTER_READING}`;
    const reading: RawContainerCounters = validate(counterReadingSchema, parseJson(readFileSync(join(base, id, COUNTER_READING), 'utf8'), file), file);
    for (const name of files) {
      const key = wanted.get(name);
      if (key !== undefined) reading[key] = readFileSync(join(base, id, name), 'utf8');
    }
    out.set(id, reading);
  }
  return out;
}

function readProcTree(procDir: string): Map<number, RawProc> {
  const out = new Map<number, RawProc>();
  let pids: string[];
  try {
    pids = readdirSync(procDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw err;
  }
  const wanted = new Set<string>(PROC_FILES);
  for (const name of pids) {
    if (!/^\d+$/.test(name)) continue;
    const files: RawProc = {};
    for (const file of readdirSync(join(procDir, name))) {
      if (wanted.has(file)) files[file as (typeof PROC_FILES)[number]] = readFileSync(join(procDir, name, file), 'utf8');
    }
    out.set(Number(name), files);
  }
  return out;
}
