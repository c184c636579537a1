// What the collector's proc notes say about single pids: which ones exited (captures made before
// exited-pids.json recorded that as a note) and which ones already have an error of their own.
import type { CaptureNotes } from '../raw-capture.ts';

const LEGACY_EXITED = /^process (\d+) exited before it could be read$/;
const PID_FILE = /\/(\d+)\/(?:cgroup|status|stat|loginuid|cmdline|mountinfo)\b/;

/** Notes split into legacy "exited" notes (as pids) and the rest, which stay errors. */
export interface SplitNotes {
  exitedPids: number[];
  notes: CaptureNotes;
}

/** Pull the "process N exited before it could be read" notes of older captures out as pids. */
export function splitExitedNotes(notes: CaptureNotes): SplitNotes {
  const exitedPids: number[] = [];
  const rest: CaptureNotes = [];
  for (const note of notes) {
    const m = note.source === 'proc' ? LEGACY_EXITED.exec(note.message) : null;
    if (m?.[1] === undefined) rest.push(note);
    else exitedPids.push(Number(m[1]));
  }
  return { exitedPids, notes: rest };
}

/** Pids that a proc note already reports a failed file of (`…/<pid>/<file>…`), so no second error is needed. */
export function pidsWithProcNotes(notes: CaptureNotes): Set<number> {
  const pids = new Set<number>();
  for (const note of notes) {
    const m = note.source === 'proc' ? PID_FILE.exec(note.message) : null;
    if (m?.[1] !== undefined) pids.add(Number(m[1]));
  }
  return pids;
}
