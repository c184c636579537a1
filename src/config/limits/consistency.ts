import { formatKeyPath, problem, type ConfigProblem, type PathSegment } from './config-problem.ts';
import { QUOTA_KEYS, SLOT_KEYS } from './ds01-defaults.ts';
import type { LimitsBlock } from './schema.ts';
import type { UserLine } from './side-files.ts';
import { lineOf, type YamlSource } from './yaml-source.ts';

/** A block of limits as written, with where it was written. */
export interface BlockAt {
  src: YamlSource;
  /** Path of the block inside its file. */
  path: PathSegment[];
  /** Shown before `path` in messages (`user_overrides` for user-overrides.yaml). */
  prefix?: PathSegment[];
  block: Partial<LimitsBlock>;
}

/** A key written in a file that has no effect (a shadowed alias, an inline override replaced by the file). */
export interface IgnoredKey {
  file: string;
  keyPath: string;
}

/** Problems found, plus the keys that are present but have no effect. */
export interface Findings {
  problems: ConfigProblem[];
  ignoredKeys: IgnoredKey[];
}

/**
 * DS01 merges `defaults` with a group or override block and only then reads the quota keys, canonical first
 * (gpu_allocator_v2 `_get_user_max_gpu_equivalents`). So a legacy alias is dead when a key read before it is set
 * in the same block or in `defaults`: warn, and mark it as having no effect.
 */
export function shadowedAliases(defaults: Partial<LimitsBlock>, blocks: readonly BlockAt[], defaultsAt: BlockAt): Findings {
  const out: Findings = { problems: [], ignoredKeys: [] };
  const check = (at: BlockAt, isDefaults: boolean): void => {
    for (const family of [QUOTA_KEYS, SLOT_KEYS]) {
      const merged: Partial<LimitsBlock> = isDefaults ? at.block : { ...defaults, ...at.block };
      const winner = family.find((k) => merged[k] !== undefined);
      for (const alias of family.slice(1)) {
        if (at.block[alias] === undefined || alias === winner || winner === undefined) continue;
        const where = at.block[winner] !== undefined ? 'in the same block' : 'in defaults';
        const path = [...at.path, alias];
        const shown = [...(at.prefix ?? []), ...path];
        out.ignoredKeys.push({ file: at.src.file, keyPath: formatKeyPath(shown) });
        out.problems.push(
          problem(
            'warning',
            at.src.file,
            lineOf(at.src, path),
            shown,
            `legacy alias has no effect: ${winner} ${where} is read first (DS01 reads ${family.join(', ')} in that order); rename it to ${family[0]}`,
          ),
        );
      }
    }
  };
  check(defaultsAt, true);
  blocks.forEach((b) => check(b, false));
  return out;
}

/** A user listed in two groups' members gets the first group in file order, as in DS01's loop: warn about the rest. */
export function multiGroupMembers(members: ReadonlyMap<string, readonly UserLine[]>): ConfigProblem[] {
  const firstGroup = new Map<string, string>();
  const out: ConfigProblem[] = [];
  for (const [group, users] of members) {
    for (const u of users) {
      const first = firstGroup.get(u.user);
      if (first === undefined) firstGroup.set(u.user, group);
      else if (first !== group) {
        out.push(
          problem('warning', u.file, u.line, '', `${u.user} is listed in both ${first} and ${group}; DS01 uses the first in resource-limits.yaml order (${first})`),
        );
      }
    }
  }
  return out;
}
