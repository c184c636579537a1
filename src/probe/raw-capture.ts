import { z } from 'zod';
import { errorSourceSchema, isoTimeInRange, SNAPSHOT_HOST_PATTERN } from '../snapshot/schema.ts';

/** How a collector failed: the `<name>.error.json` of a capture folder. */
export const rawErrorSchema = z.object({
  exitCode: z.number().int().nullable(),
  stderr: z.string(),
  message: z.string(),
});

/** Output of one collected source: its text, or how it failed. */
export type RawSource<T> = { ok: true; value: T } | { ok: false; error: RawError };

/** `meta.json` of a capture folder. */
export const captureMetaSchema = z.object({
  host: z.string().min(1).max(253).regex(SNAPSHOT_HOST_PATTERN, 'a host name (letters, digits, ".", "_", "-")'),
  takenAt: z.iso.datetime({ offset: true }).refine(isoTimeInRange, 'a time in the years 2000 to 2200'),
  bootTimeSec: z.number().int().nonnegative().nullable(),
  clockTicksPerSec: z.number().int().positive().default(100),
  probeVersion: z.string().optional(),
  /** Sources the probe was configured not to read (`--no-docker`): replayed as the snapshot's disabledSources. */
  disabledSources: z.array(errorSourceSchema).optional(),
});

/** `exited-pids.json`: GPU pids whose /proc directory was gone when the probe read it. */
export const exitedPidsSchema = z.array(z.number().int().positive());

/** `mount-owners.json`: bind source path → uid that owns it. */
export const mountOwnersSchema = z.record(z.string(), z.number().int().nonnegative());

/** `notes.json`: collection problems that belong to no single source file. */
export const captureNotesSchema = z.array(
  z.object({ source: errorSourceSchema, message: z.string() }),
);

/** The files of one `/proc/<pid>` directory, as read (absent = not read). */
export interface RawProc {
  cgroup?: string;
  status?: string;
  stat?: string;
  loginuid?: string;
  /** NUL-separated argv, decoded as UTF-8. */
  cmdline?: string;
  /** Only read when cgroup is exactly `0::/` (private cgroup namespace: the id must come from mounts). */
  mountinfo?: string;
}

/** `reading.json` of one container's counter reading in a capture folder. */
export const counterReadingSchema = z.object({
  readAt: z.iso.datetime({ offset: true }),
  startedAt: z.string().nullable(),
  pid: z.number().int().positive(),
  networkMode: z.string().nullable(),
});

/**
 * The counter files of one running container, as read at `readAt` (absent = not read): what container usage
 * (CPU %, network, active processes) is computed from, with a second reading.
 */
export interface RawContainerCounters extends z.infer<typeof counterReadingSchema> {
  /** /proc/<pid>/cgroup of the container's main process (locates its cgroup). */
  cgroup?: string;
  /** cgroup v2 `cpu.stat`. */
  cpuStat?: string;
  /** cgroup v1 `cpuacct.usage` (ns). */
  cpuacctUsage?: string;
  /** `cgroup.procs` of the same cgroup. */
  cgroupProcs?: string;
  /** `<pid> <comm>` per line for the pids of cgroupProcs (/proc/<pid>/comm). */
  comms?: string;
  /** /proc/<pid>/net/dev; not read for host-network containers (those counters are the host's). */
  netDev?: string;
}

/**
 * Every raw input of one probe cycle. The live collector and a capture folder both produce
 * this, so replaying a capture runs exactly the code a live host runs.
 */
export interface RawCapture {
  meta: CaptureMeta;
  nvidiaSmiXml: RawSource<string> | null;
  nvidiaSmiList: RawSource<string> | null;
  dockerInspect: RawSource<unknown> | null;
  mountOwners: Record<string, number>;
  passwd: RawSource<string> | null;
  proc: Map<number, RawProc>;
  /** Problems met while collecting that belong to no single source file (e.g. an unreadable pid). */
  notes: CaptureNotes;
  /** GPU pids that exited between nvidia-smi and the /proc read (a normal race, counted, not an error). */
  exitedPids: number[];
  /** This cycle's counter reading per running container id. */
  counters: Map<string, RawContainerCounters>;
  /** The previous cycle's readings (the probe keeps them in memory; empty on the first cycle). */
  previousCounters: Map<string, RawContainerCounters>;
}

export type RawError = z.infer<typeof rawErrorSchema>;
export type CaptureMeta = z.infer<typeof captureMetaSchema>;
export type CaptureNotes = z.infer<typeof captureNotesSchema>;

/** Wrap a failure as a RawSource. */
export function failed<T>(message: string, exitCode: number | null = null, stderr = ''): RawSource<T> {
  return { ok: false, error: { exitCode, stderr, message } };
}
