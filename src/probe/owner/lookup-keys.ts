import type { InspectedContainer } from '../docker/inspected-container.ts';
import { LABEL_AIME_USER, LABEL_DS01_USER } from '../docker/label-keys.ts';
import { labelOf, stringFieldOf } from '../docker/safe-access.ts';
import { aimeUidOfName } from './aime-name.ts';

/** The distinct owner-label user names (`ds01.user`, `aime.mlc.USER`), trimmed, for an NSS lookup by name. */
export function labelUserNames(containers: readonly InspectedContainer[]): string[] {
  const names = new Set<string>();
  for (const c of Array.isArray(containers) ? containers : []) {
    for (const key of [LABEL_DS01_USER, LABEL_AIME_USER]) {
      const name = (labelOf(c, key) ?? '').trim();
      if (name !== '') names.add(name);
    }
  }
  return [...names];
}

/** The distinct UIDs named by `<name>._.<uid>` containers, for an NSS lookup by uid. */
export function aimeNameUids(containers: readonly InspectedContainer[]): number[] {
  const uids = new Set<number>();
  for (const c of Array.isArray(containers) ? containers : []) {
    const uid = aimeUidOfName(stringFieldOf(c, 'name'));
    if (uid !== null) uids.add(uid);
  }
  return [...uids];
}
