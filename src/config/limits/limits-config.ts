import type { z } from 'zod';
import { formatKeyPath, problem, sortProblems, type ConfigProblem, type PathSegment } from './config-problem.ts';
import { multiGroupMembers, shadowedAliases, type BlockAt, type IgnoredKey } from './consistency.ts';
import { ARCHIVED_GROUP, DS01_DEFAULT_GROUP, OVERRIDE_GROUP } from './ds01-defaults.ts';
import { parseExemptions, type Exemption } from './exemptions.ts';
import {
  resourceLimitsSchema,
  userOverridesFileSchema,
  type GroupBlock,
  type LimitsBlock,
  type OverrideBlock,
  type ResourceLimitsFile,
} from './schema.ts';
import { parseGroupOverridesText, parseMembersText, type GroupOverride, type UserLine } from './side-files.ts';
import { didYouMean } from './suggest.ts';
import { describeValue } from './values.ts';
import { lineOf, parseYamlSource, type YamlSource } from './yaml-source.ts';
import { expectsMapping, issuesToProblems } from './zod-issues.ts';

/** A file's name and text, as the I/O edge read it. */
export interface SourceText {
  file: string;
  text: string;
}

/** Everything DS01 reads from its config/runtime folder, as text (absent files: null or left out). */
export interface LimitsSources {
  limits: SourceText;
  /** `groups/<group>.members` files. */
  memberFiles?: (SourceText & { group: string })[];
  userOverrides?: SourceText | null;
  lifecycleExemptions?: SourceText | null;
  groupOverrides?: SourceText | null;
}

/** A user override with where it was written (inline in resource-limits.yaml, or user-overrides.yaml). */
export interface OverrideEntry {
  user: string;
  block: OverrideBlock;
  file: string;
  line: number | null;
}

/** A setting present in a file: key path, file and line (used to list what no rule enforces). */
export interface PresentKey {
  keyPath: string;
  path: PathSegment[];
  file: string;
  line: number;
}

/** The validated limits config with its side files merged in, ready for {@link effectiveLimits}. */
export interface LimitsConfig {
  file: string;
  data: ResourceLimitsFile;
  defaults: LimitsBlock;
  defaultGroup: string;
  /** Groups in file order (DS01 checks membership in this order). */
  groups: Map<string, GroupBlock>;
  /** Members per group: the member file's users, then inline `members` (DS01 merges both). */
  members: Map<string, UserLine[]>;
  userOverrides: Map<string, OverrideEntry>;
  groupOverrides: GroupOverride[];
  exemptions: Exemption[];
  archivedUsers: string[];
  presentKeys: PresentKey[];
  /** Keys present in a file that have no effect (shadowed aliases, inline overrides replaced by the file). */
  ignoredKeys: IgnoredKey[];
  warnings: ConfigProblem[];
}

/** The outcome of {@link parseLimits}: a config when there are no errors, and every problem found. */
export interface ParsedLimits {
  config: LimitsConfig | null;
  problems: ConfigProblem[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function baseName(file: string): string {
  return file.split(/[\\/]/).at(-1) ?? file;
}

function presentKeys(src: YamlSource, schema: z.ZodType, prefix: PathSegment[]): PresentKey[] {
  return src.entries
    .filter((e) => e.kind !== 'map' && e.path.every((s) => typeof s === 'string'))
    .filter((e) => !(e.kind === 'null' && expectsMapping(schema, e.path)))
    .map((e) => ({ keyPath: formatKeyPath([...prefix, ...e.path]), path: [...prefix, ...e.path], file: src.file, line: e.line }));
}

function validateMapping<T>(src: YamlSource, schema: z.ZodType<T>, what: string, prefix: PathSegment[], out: ConfigProblem[]): T | null {
  if (!src.ok) return null;
  const value = src.value === null && prefix.length > 0 ? {} : src.value;
  if (!isRecord(value)) {
    const got = value === null ? 'an empty file' : describeValue(value);
    out.push(problem('error', src.file, 1, '', `expected a YAML mapping of ${what}, got ${got}`));
    return null;
  }
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  out.push(...issuesToProblems(r.error.issues, { src, schema, prefix }));
  return null;
}

/** Members per group, DS01-style: the member file's users, then inline `members`, each user once. */
function mergeMembers(main: YamlSource, groups: ReadonlyMap<string, GroupBlock>, files: readonly (SourceText & { group: string })[]): Map<string, UserLine[]> {
  const members = new Map<string, UserLine[]>();
  for (const [g, block] of groups) {
    const fromFiles = files.filter((f) => f.group === g).flatMap((f) => parseMembersText(f.file, f.text));
    const inline = (block.members ?? []).map((user, i) => ({ user, file: main.file, line: lineOf(main, ['groups', g, 'members', i]) ?? 1 }));
    const byUser = new Map<string, UserLine>();
    for (const u of [...fromFiles, ...inline]) if (!byUser.has(u.user)) byUser.set(u.user, u);
    members.set(g, [...byUser.values()]);
  }
  return members;
}

/** Inline `user_overrides` merged with user-overrides.yaml, where the file wins (a replaced inline entry is reported). */
function mergeOverrides(
  main: YamlSource,
  inlineOverrides: Record<string, OverrideBlock | null>,
  fileSrc: YamlSource | null,
  fileOverrides: Record<string, OverrideBlock | null>,
  out: { problems: ConfigProblem[]; ignoredKeys: IgnoredKey[] },
): Map<string, OverrideEntry> {
  const merged = new Map<string, OverrideEntry>();
  for (const [user, block] of Object.entries(inlineOverrides)) {
    merged.set(user, { user, block: block ?? {}, file: main.file, line: lineOf(main, ['user_overrides', user]) });
  }
  if (fileSrc === null) return merged;
  for (const [user, block] of Object.entries(fileOverrides)) {
    const inline = merged.get(user);
    if (inline !== undefined) {
      const path = ['user_overrides', user];
      out.ignoredKeys.push({ file: main.file, keyPath: formatKeyPath(path) });
      out.problems.push(
        problem('warning', main.file, inline.line, path, `replaced by the entry in ${baseName(fileSrc.file)} (the file wins); these inline settings have no effect`),
      );
    }
    merged.set(user, { user, block: block ?? {}, file: fileSrc.file, line: lineOf(fileSrc, [user]) });
  }
  return merged;
}

/**
 * Validate resource-limits.yaml and merge its side files the way DS01's get_resource_limits.py does (§1.3).
 * Pure: takes the texts, returns the config (null when there is any error) and every error and warning.
 */
export function parseLimits(sources: LimitsSources): ParsedLimits {
  const result = collectLimits(sources);
  const problems = sortProblems(result.problems);
  return { config: result.config === null ? null : { ...result.config, warnings: problems.filter((p) => p.severity === 'warning') }, problems };
}

function collectLimits(sources: LimitsSources): ParsedLimits {
  const problems: ConfigProblem[] = [];
  const main = parseYamlSource(sources.limits.file, sources.limits.text);
  problems.push(...main.problems);
  const data = validateMapping(main, resourceLimitsSchema, 'settings (defaults, groups, policies, ...)', [], problems);

  let overrideSrc: YamlSource | null = null;
  let fileOverrides: Record<string, OverrideBlock | null> = {};
  if (sources.userOverrides) {
    overrideSrc = parseYamlSource(sources.userOverrides.file, sources.userOverrides.text);
    problems.push(...overrideSrc.problems);
    fileOverrides = validateMapping(overrideSrc, userOverridesFileSchema, 'user name → limits', ['user_overrides'], problems) ?? {};
  }
  const groupOverrides = sources.groupOverrides ? parseGroupOverridesText(sources.groupOverrides.file, sources.groupOverrides.text) : null;
  problems.push(...(groupOverrides?.problems ?? []));
  const exemptions = sources.lifecycleExemptions
    ? parseExemptions(sources.lifecycleExemptions.file, sources.lifecycleExemptions.text)
    : { exemptions: [], problems: [] };
  problems.push(...exemptions.problems);
  if (data === null) return { config: null, problems };

  const limitsName = baseName(main.file);
  const groups = new Map(Object.entries(data.groups ?? {}).map(([g, b]) => [g, b ?? {}] as const));
  const groupList = [...groups.keys()];
  const undefinedGroup = (group: string): string =>
    `group "${group}" is not defined under groups in ${limitsName}${didYouMean(group, groupList) || ` (groups: ${groupList.join(', ') || 'none'})`}`;

  const members = mergeMembers(main, groups, sources.memberFiles ?? []);
  const archivedUsers: string[] = [];
  for (const f of sources.memberFiles ?? []) {
    if (groups.has(f.group)) continue;
    const users = parseMembersText(f.file, f.text);
    if (f.group === ARCHIVED_GROUP) archivedUsers.push(...users.map((u) => u.user));
    else if (users.length > 0) problems.push(problem('error', f.file, users[0]?.line ?? 1, '', `${undefinedGroup(f.group)}; its members would be ignored`));
  }
  if (groups.has(OVERRIDE_GROUP)) {
    problems.push(problem('error', main.file, lineOf(main, ['groups', OVERRIDE_GROUP]), ['groups', OVERRIDE_GROUP], `"${OVERRIDE_GROUP}" cannot be a group name: DS01 uses it as the group of users with a user override`));
  }
  const defaultGroup = data.default_group ?? DS01_DEFAULT_GROUP;
  if (data.default_group !== undefined && !groups.has(defaultGroup)) {
    problems.push(problem('error', main.file, lineOf(main, ['default_group']), ['default_group'], undefinedGroup(defaultGroup)));
  }
  for (const o of groupOverrides?.entries ?? []) {
    if (!groups.has(o.group)) problems.push(problem('error', o.file, o.line, o.user, undefinedGroup(o.group)));
  }

  const ignoredKeys: IgnoredKey[] = [];
  const userOverrides = mergeOverrides(main, data.user_overrides ?? {}, overrideSrc, fileOverrides, { problems, ignoredKeys });

  const defaults = data.defaults ?? {};
  const blocks: BlockAt[] = [
    ...[...groups].map(([g, block]) => ({ src: main, path: ['groups', g], block })),
    ...Object.entries(data.user_overrides ?? {})
      .filter(([u]) => !Object.hasOwn(fileOverrides, u))
      .map(([u, block]) => ({ src: main, path: ['user_overrides', u], block: block ?? {} })),
    ...(overrideSrc === null ? [] : Object.entries(fileOverrides).map(([u, block]) => ({ src: overrideSrc, path: [u], prefix: ['user_overrides'], block: block ?? {} }))),
  ];
  const aliases = shadowedAliases(defaults, blocks, { src: main, path: ['defaults'], block: defaults });
  problems.push(...aliases.problems, ...multiGroupMembers(members));
  ignoredKeys.push(...aliases.ignoredKeys);

  if (problems.some((p) => p.severity === 'error')) return { config: null, problems };
  const config: LimitsConfig = {
    file: main.file,
    data,
    defaults,
    defaultGroup,
    groups,
    members,
    userOverrides,
    groupOverrides: groupOverrides?.entries ?? [],
    exemptions: exemptions.exemptions,
    archivedUsers,
    presentKeys: [
      ...presentKeys(main, resourceLimitsSchema, []),
      ...(overrideSrc === null ? [] : presentKeys(overrideSrc, userOverridesFileSchema, ['user_overrides'])),
    ],
    ignoredKeys,
    warnings: problems.filter((p) => p.severity === 'warning'),
  };
  return { config, problems };
}
