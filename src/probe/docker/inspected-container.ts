import type { Mount } from '../../snapshot/schema.ts';

/** One container as read from `docker inspect`, normalised but not yet classified or attributed. */
export interface InspectedContainer {
  /** Full container id, 64 lowercase hex digits. */
  id: string;
  /** Container name without the leading "/"; "" when the engine gave none. */
  name: string;
  /** `Config.Image` (the name the user asked for), else the top-level `Image`; null when neither is set. */
  image: string | null;
  /** `State.Status` lowercased (`running`, `exited`, ...); `unknown` when absent. */
  state: string;
  /** ISO-8601 UTC (`toISOString()`); null for Docker's zero time or a missing / unparsable value. */
  createdAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** Host PID of the container's init (`State.Pid`); null when 0 or absent. */
  pid: number | null;
  /** `Config.Labels` (list form: `Labels`); `{}` when empty or null. */
  labels: Record<string, string>;
  /** `Config.Env` split on the first "="; later duplicates win; entries without "=" are dropped. */
  env: Record<string, string>;
  /** `HostConfig.Runtime` (`runc`, `nvidia`, ...); null when absent or empty. */
  runtime: string | null;
  /** Raw `HostConfig.DeviceRequests`; null when the key is absent (pre-1.40 engines) or null. */
  deviceRequests: unknown[] | null;
  /** `HostConfig.Devices[].PathOnHost`. */
  devices: string[];
  /** `HostConfig.CgroupParent`; null when absent or empty. */
  cgroupParent: string | null;
  /** `HostConfig.NetworkMode` (`default`, `host`, `container:<id>`, a network name); null when absent or empty. */
  networkMode: string | null;
  /** `Mounts`, in engine order. */
  mounts: Mount[];
}
