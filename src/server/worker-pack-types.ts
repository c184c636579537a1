import type { LimitsConfig } from '../config/limits/limits-config.ts';
import type { Rule } from '../engine/rules/rule-schema.ts';

/** A bundled config file: its name (for messages) and text. */
export interface PackedFile {
  file: string;
  text: string;
}

/**
 * What scripts/gen-worker-pack.ts bundles into the Worker (src/server/worker-pack.ts): the rule pack and limits
 * already validated at build time (so an isolate starts without parsing them), routing and users as text (their
 * secrets come from the Worker's env, so they are read when the isolate starts).
 */
export interface WorkerPack {
  /** The rule files' paths (for messages and checks). */
  ruleFiles: readonly string[];
  /** The rules as the loader returned them (checked against the fact catalogue). */
  rules: readonly Rule[];
  /** The DS01 limits, parsed and merged; its warnings are logged when an isolate starts. */
  limits: LimitsConfig;
  /** notifications.yaml; null = no notifications are sent. */
  notifications: PackedFile | null;
  /** users.yaml; null = owners are reached only through the routing config's patterns. */
  users: PackedFile | null;
}
