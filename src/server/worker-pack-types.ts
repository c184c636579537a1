import type { RuleFileText } from '../engine/rules/load.ts';

/** A bundled config file: its name (for messages) and text. */
export interface PackedFile {
  file: string;
  text: string;
}

/** What scripts/gen-worker-pack.mjs bundles into the Worker (src/server/worker-pack.ts). */
export interface WorkerPack {
  rules: readonly RuleFileText[];
  limits: PackedFile;
  /** notifications.yaml; null = no notifications are sent. */
  notifications: PackedFile | null;
  /** users.yaml; null = owners are reached only through the routing config's patterns. */
  users: PackedFile | null;
}
