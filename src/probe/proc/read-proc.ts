import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { RawProc } from '../raw-capture.ts';
import { readSmallFile } from '../read-small-file.ts';
import { parseBootTimeSec } from './parse-boot-time.ts';

/**
 * Raw text of the /proc/<pid> files the probe parses (absent = unreadable), plus one message per failure;
 * `exited` when the pid directory was gone (a normal race with nvidia-smi, not an error).
 */
export type ProcFiles = RawProc & { errors: string[]; exited?: true };

/**
 * The filesystem calls readProcFiles makes; injectable so tests can simulate EACCES as root. Synchronous on
 * purpose: /proc files are made in memory on read, and fs/promises costs ~10x the CPU per small file.
 */
export interface ProcFs {
  /** The file's text; throws an error with the errno `code` when it cannot be read. */
  readText(path: string): string;
  stat(path: string): unknown;
}

/** Files the kernel makes from one record (single_open): the first read returns them whole (see readSmallFile). */
const ONE_RECORD: ReadonlySet<string> = new Set(['cgroup', 'status', 'stat', 'loginuid']);

const nodeProcFs: ProcFs = {
  readText: (path) => {
    const r = readSmallFile(path, ONE_RECORD.has(path.slice(path.lastIndexOf('/') + 1)));
    if ('code' in r) throw Object.assign(new Error(`${r.code}: ${path}`), { code: r.code });
    return r.text;
  },
  stat: (path) => statSync(path),
};

const FILES = ['cgroup', 'status', 'stat', 'loginuid', 'cmdline'] as const;
type ProcFileName = (typeof FILES)[number] | 'mountinfo';

type ReadResult = { ok: true; text: string } | { ok: false; code: string; message: string };

function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return 'EUNKNOWN';
}

function describe(path: string, code: string, error: unknown): string {
  if (code === 'EACCES' || code === 'EPERM') {
    return `permission denied reading ${path} (${code}); the probe needs root or CAP_SYS_PTRACE`;
  }
  const detail = code === 'EUNKNOWN' ? `: ${String(error)}` : '';
  return `cannot read ${path}: ${code}${detail}`;
}

function readText(fs: ProcFs, path: string): ReadResult {
  try {
    return { ok: true, text: fs.readText(path) };
  } catch (error) {
    const code = errorCode(error);
    return { ok: false, code, message: describe(path, code, error) };
  }
}

function pidDirExists(fs: ProcFs, dir: string): boolean {
  try {
    fs.stat(dir);
    return true;
  } catch (error) {
    const code = errorCode(error);
    return code !== 'ENOENT' && code !== 'ESRCH';
  }
}

const GONE_CODES = new Set(['ENOENT', 'ESRCH']);

// A process that vanished is `exited` with no error and no data; other failures give one error per file.
/** Read cgroup, status, stat, loginuid, cmdline (and mountinfo when cgroup is `0::/`) of one pid. Never throws. */
export function readProcFiles(pid: number, procRoot = '/proc', fs: ProcFs = nodeProcFs): ProcFiles {
  if (!Number.isSafeInteger(pid) || pid <= 0) return { errors: [`invalid pid ${String(pid)}`] };
  const dir = `${procRoot}/${pid}`;
  const exited: ProcFiles = { errors: [], exited: true };
  const results = new Map<ProcFileName, ReadResult>();
  const reads = FILES.map((name) => readText(fs, `${dir}/${name}`));
  FILES.forEach((name, i) => {
    const result = reads[i];
    if (result !== undefined) results.set(name, result);
  });
  const cgroup = results.get('cgroup');
  if (cgroup?.ok === true && cgroup.text.trim() === '0::/') {
    results.set('mountinfo', readText(fs, `${dir}/mountinfo`));
  }
  const files: ProcFiles = { errors: [] };
  let sawGone = false;
  for (const [name, result] of results) {
    if (result.ok) {
      files[name] = result.text;
    } else {
      sawGone ||= GONE_CODES.has(result.code);
      files.errors.push(result.message);
    }
  }
  if (sawGone && !pidDirExists(fs, dir)) return exited;
  return files;
}

/** Boot time in seconds since the epoch, from the `btime` line of <procRoot>/stat; null on any failure. */
export async function readBootTimeSec(procRoot = '/proc'): Promise<number | null> {
  try {
    const text = await readFile(`${procRoot}/stat`, 'utf8');
    return parseBootTimeSec(text);
  } catch {
    return null;
  }
}
