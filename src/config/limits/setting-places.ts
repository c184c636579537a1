// What `config check` prints about settings gpuwarden does not enforce: one line per setting, with every place the
// files set it, instead of one warning per place (DS01's real file sets 25 such settings in 59 places).
import type { NotEnforcedKey } from './enforced-keys.ts';

/** One setting and where it is set: the block (`defaults`, `groups.student`, ...), file and line of each. */
export interface SettingPlaces {
  setting: string;
  places: { block: string; file: string; line: number }[];
}

/** The block a key path sets its setting in: the path without the setting's own segments. */
function blockOf(key: NotEnforcedKey): string {
  if (key.setting.includes('*')) return key.keyPath.slice(0, key.keyPath.lastIndexOf('.'));
  if (key.keyPath === key.setting) return 'top level';
  return key.keyPath.endsWith(`.${key.setting}`) ? key.keyPath.slice(0, -key.setting.length - 1) : key.keyPath;
}

/** Group keys by setting, settings and places in the order the files give them. Pure. */
export function groupBySetting(keys: readonly NotEnforcedKey[]): SettingPlaces[] {
  const bySetting = new Map<string, SettingPlaces>();
  for (const key of keys) {
    const entry = bySetting.get(key.setting) ?? { setting: key.setting, places: [] };
    entry.places.push({ block: blockOf(key), file: key.file, line: key.line });
    bySetting.set(key.setting, entry);
  }
  return [...bySetting.values()];
}

/** Indented lines, one per setting: `  max_cpus   defaults (50), groups.researcher (111)`; another file is named. */
export function renderSettingPlaces(groups: readonly SettingPlaces[], mainFile: string): string[] {
  const width = Math.max(0, ...groups.map((g) => g.setting.length)) + 2;
  return groups.map((g) => `  ${g.setting.padEnd(width)}  ${g.places.map((p) => `${p.block} (${p.file === mainFile ? '' : `${p.file}:`}${p.line})`).join(', ')}`);
}
