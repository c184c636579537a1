import type { PathSegment } from './config-problem.ts';
import { QUOTA_KEYS, SLOT_KEYS } from './ds01-defaults.ts';
import type { IgnoredKey } from './consistency.ts';
import type { LimitsConfig, PresentKey } from './limits-config.ts';

/**
 * The limits-file keys gpuwarden's rules enforce; every other key present is listed by {@link notEnforced}, so no
 * field is silently ignored. A bare limit key (`max_runtime_h`) counts wherever a limits block sets it (`defaults`,
 * `groups.*`, `user_overrides.*`), and so do `aggregate.*` / `policies.*` keys; `*` stands for any name.
 */
export const ENFORCED_LIMIT_KEYS = [
  'max_gpu_equivalents', // gpueq fair-share quota per user (legacy aliases max_gpu_slots, max_gpus_per_user, max_mig_instances)
  'aggregate.gpu_limit', // per-user gpueq cap; also caps the quota
  'max_gpu_slots_per_container', // GPU/MIG units per container (aliases max_gpus_per_container, max_mig_per_container)
  'max_containers_per_user', // containers per user, stopped ones included
  'max_runtime_h', // runtime of a DS01-managed container
  'idle_timeout_h', // idle time of a DS01-managed GPU container
  'gpu_hold_after_stop_h', // how long a stopped container may keep its GPU
  'container_hold_after_stop_h', // how long a stopped container may linger
  'policies.gpu_idle_threshold', // GPU utilisation below which a GPU counts as idle
  'policies.cpu_idle_threshold', // container CPU % below which it counts as idle when its GPU signal is missing (MIG)
  'policies.network_idle_threshold', // bytes received per interval below which it counts as idle, likewise
  'policies.high_demand_threshold', // share of GPUs allocated that makes the server "in high demand"
  'policies.high_demand_idle_reduction', // idle timeout factor under high demand
  'policies.grace_period_m', // no idle verdict this soon after start
  'policies.created_container_timeout_m', // created-never-started containers
  'container_types.*.idle_timeout_h', // idle limit of devcontainer / compose / docker / api / unknown containers
  'container_types.*.max_runtime_h', // runtime limit of those containers
  'monitoring.*', // infrastructure containers and label: never flagged
  'bare_metal_access.exempt_users', // may use GPUs outside containers
  'default_group', // group of unlisted users
  'groups.*.members', // group membership
  'user_overrides', // who has an override (defaults + override only)
  'access_control.admin_users', // admins
] as const;

/** One of {@link ENFORCED_LIMIT_KEYS}. */
export type EnforcedLimitKey = (typeof ENFORCED_LIMIT_KEYS)[number];

/** A key present in a file that no gpuwarden rule enforces (or that has no effect at all). */
export interface NotEnforcedKey {
  keyPath: string;
  /** The setting it is an instance of ({@link enforcementPattern}: `groups.student.max_cpus` → `max_cpus`). */
  setting: string;
  line: number;
  file: string;
  /** `not-enforced`: valid, but gpuwarden does not act on it; `no-effect`: shadowed or replaced, nobody reads it. */
  reason: 'not-enforced' | 'no-effect';
}

const ENFORCED = new Set<string>(ENFORCED_LIMIT_KEYS);
const LIMIT_BLOCK_SECTIONS = new Set(['groups', 'user_overrides']);

function canonical(key: string): string {
  if ((QUOTA_KEYS as readonly string[]).includes(key)) return QUOTA_KEYS[0];
  if ((SLOT_KEYS as readonly string[]).includes(key)) return SLOT_KEYS[0];
  return key;
}

/** The {@link ENFORCED_LIMIT_KEYS} pattern a concrete key path falls under (`groups.student.max_cpus` → `max_cpus`). */
export function enforcementPattern(path: readonly PathSegment[]): string {
  const [section, name, key, sub] = path.map(String);
  if (section === 'defaults' && name !== undefined) return canonical(name);
  if (section !== undefined && LIMIT_BLOCK_SECTIONS.has(section)) {
    if (key === undefined) return section === 'user_overrides' ? 'user_overrides' : `groups.*`;
    if (key === 'members') return `${section}.*.members`;
    if ((key === 'aggregate' || key === 'policies') && sub !== undefined) return `${key}.${sub}`;
    return canonical(key);
  }
  if (section === 'container_types' && key !== undefined) return `container_types.*.${key}`;
  if (section === 'monitoring') return 'monitoring.*';
  return path.map(String).join('.');
}

/** Whether gpuwarden enforces the key at this path. */
export function isEnforced(path: readonly PathSegment[]): boolean {
  return ENFORCED.has(enforcementPattern(path));
}

function isIgnored(key: PresentKey, ignored: readonly IgnoredKey[]): boolean {
  return ignored.some(
    (i) => i.file === key.file && (key.keyPath === i.keyPath || key.keyPath.startsWith(`${i.keyPath}.`) || key.keyPath.startsWith(`${i.keyPath}[`)),
  );
}

/** Every key present in the limits files that no gpuwarden rule enforces, with its file and line. Pure. */
export function notEnforced(config: LimitsConfig): NotEnforcedKey[] {
  return config.presentKeys.flatMap((k): NotEnforcedKey[] => {
    const setting = enforcementPattern(k.path);
    if (isIgnored(k, config.ignoredKeys)) return [{ keyPath: k.keyPath, setting, line: k.line, file: k.file, reason: 'no-effect' }];
    return ENFORCED.has(setting) ? [] : [{ keyPath: k.keyPath, setting, line: k.line, file: k.file, reason: 'not-enforced' }];
  });
}

/** The enforced settings a config sets, each once, in file order (`max_gpu_equivalents`, `idle_timeout_h`, ...). */
export function enforcedSettings(config: LimitsConfig): string[] {
  return [...new Set(config.presentKeys.map((k) => enforcementPattern(k.path)).filter((setting) => ENFORCED.has(setting)))];
}
