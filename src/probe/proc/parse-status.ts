/** The four ids of a `Uid:` or `Gid:` line of /proc/<pid>/status. */
export interface StatusIds {
  real: number;
  effective: number;
  saved: number;
  fs: number;
}

/** The parts of /proc/<pid>/status the probe uses. */
export interface ProcStatus {
  /** `Name:` (the kernel's comm, at most 15 bytes); null when absent. */
  name: string | null;
  uid: StatusIds | null;
  gid: StatusIds | null;
  /** `NSpid:` host pid first, then the pid in each nested pid namespace; null when absent. */
  nsPid: number[] | null;
}

const ID_VALUE = /^\d{1,10}$/;
const MAX_ID = 4294967295;

function parseNumbers(value: string): number[] | null {
  const parts = value.split(/[\t ]+/).filter((p) => p !== '');
  const numbers: number[] = [];
  for (const part of parts) {
    if (!ID_VALUE.test(part)) return null;
    const n = Number(part);
    if (n > MAX_ID) return null;
    numbers.push(n);
  }
  return numbers;
}

function parseIds(value: string): StatusIds | null {
  const numbers = parseNumbers(value);
  if (numbers === null || numbers.length !== 4) return null;
  const [real, effective, saved, fs] = numbers as [number, number, number, number];
  return { real, effective, saved, fs };
}

/** Parse the text of /proc/<pid>/status (`Key:\tvalue` lines). Never throws. */
export function parseProcStatus(text: string): ProcStatus {
  const status: ProcStatus = { name: null, uid: null, gid: null, nsPid: null };
  if (typeof text !== 'string') return status;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon);
    const rest = line.slice(colon + 1);
    // The kernel writes exactly one tab after the colon; a comm may itself start with a space.
    const value = rest.startsWith('\t') ? rest.slice(1) : rest.trimStart();
    switch (key) {
      case 'Name':
        if (status.name === null && value !== '') status.name = value;
        break;
      case 'Uid':
        status.uid ??= parseIds(value);
        break;
      case 'Gid':
        status.gid ??= parseIds(value);
        break;
      case 'NSpid': {
        const pids = parseNumbers(value.trimEnd());
        if (status.nsPid === null && pids !== null && pids.length > 0) status.nsPid = pids;
        break;
      }
      default:
        break;
    }
  }
  return status;
}
