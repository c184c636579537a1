import type { InspectedContainer } from '../docker/inspected-container.ts';
import { LABEL_COMPOSE_WORKING_DIR, LABEL_DEVCONTAINER_FOLDER } from '../docker/label-keys.ts';
import { arrayFieldOf, field, labelOf } from '../docker/safe-access.ts';
import { homeUserOf, normaliseAbsolute } from './home-path.ts';

/**
 * The distinct bind-mount sources under `<homeRoot>/<user>`, normalised, in first-seen order.
 * The probe stats exactly these paths to fill `OwnerContext.mountOwners`. Never throws.
 */
export function homeBindSources(containers: readonly InspectedContainer[], homeRoot = '/home'): string[] {
  const sources = new Set<string>();
  for (const c of Array.isArray(containers) ? containers : []) {
    for (const mount of arrayFieldOf(c, 'mounts')) {
      if (String(field(mount, 'type')).toLowerCase() !== 'bind') continue;
      const source = normaliseAbsolute(field(mount, 'source'));
      if (source !== null && homeUserOf(source, homeRoot) !== null) sources.add(source);
    }
  }
  return [...sources];
}

/**
 * The distinct `<user>` names appearing as `<homeRoot>/<user>` in bind sources, devcontainer
 * folders and compose working dirs, in first-seen order, for the probe to look up in NSS.
 */
export function homeUserNames(containers: readonly InspectedContainer[], homeRoot = '/home'): string[] {
  const names = new Set<string>();
  const add = (path: unknown): void => {
    const user = homeUserOf(path, homeRoot);
    if (user !== null) names.add(user);
  };
  for (const c of Array.isArray(containers) ? containers : []) {
    for (const mount of arrayFieldOf(c, 'mounts')) {
      if (String(field(mount, 'type')).toLowerCase() === 'bind') add(field(mount, 'source'));
    }
    add(labelOf(c, LABEL_DEVCONTAINER_FOLDER));
    add(labelOf(c, LABEL_COMPOSE_WORKING_DIR));
  }
  return [...names];
}
