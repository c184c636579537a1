import { z } from 'zod';

// Lenient: every key optional and nullable, unknown keys stripped. Only the fields the probe
// reads are typed; a field of the wrong type is an issue for that element only.
const text = z.string().nullish();
const stringMap = z.record(z.string(), z.string()).nullish();

/** One entry of `Mounts`, in both the inspect and the list form. */
export const inspectMountSchema = z.object({
  Type: text,
  Name: text,
  Source: text,
  Destination: text,
  Mode: text,
  RW: z.boolean().nullish(),
});

/** `State` of the inspect form. */
export const inspectStateSchema = z.object({
  Status: text,
  Pid: z.number().nullish(),
  StartedAt: text,
  FinishedAt: text,
});

/**
 * One element of `docker inspect` (API bare object or CLI array element). Also accepts the
 * `GET /containers/json` list form (`Names`, `State` as a string, unix `Created`, top-level `Labels`).
 */
export const inspectElementSchema = z.object({
  Id: z.string().regex(/^[0-9a-fA-F]{64}$/, 'expected a 64-hex container id'),
  Name: text,
  Names: z.array(z.string()).nullish(),
  Created: z.union([z.string(), z.number()]).nullish(),
  Image: text,
  State: z.union([z.string(), inspectStateSchema]).nullish(),
  Labels: stringMap,
  Config: z
    .object({
      Image: text,
      Labels: stringMap,
      Env: z.array(z.string()).nullish(),
    })
    .nullish(),
  HostConfig: z
    .object({
      Runtime: text,
      DeviceRequests: z.array(z.unknown()).nullish(),
      Devices: z.array(z.object({ PathOnHost: text })).nullish(),
      CgroupParent: text,
      NetworkMode: text,
    })
    .nullish(),
  Mounts: z.array(inspectMountSchema).nullish(),
});

/** The typed view of one inspect element after lenient validation. */
export type InspectElement = z.infer<typeof inspectElementSchema>;
/** The typed view of one `Mounts` entry. */
export type InspectMount = z.infer<typeof inspectMountSchema>;
