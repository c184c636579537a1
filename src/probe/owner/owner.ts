import { SNAPSHOT_BOUNDS, type Owner } from '../../snapshot/schema.ts';
import type { InspectedContainer } from '../docker/inspected-container.ts';
import {
  LABEL_AIME_USER,
  LABEL_COMPOSE_WORKING_DIR,
  LABEL_DEVCONTAINER_FOLDER,
  LABEL_DS01_USER,
} from '../docker/label-keys.ts';
import { arrayFieldOf, asRecord, field, labelOf, stringFieldOf } from '../docker/safe-access.ts';
import { aimeUidOfName } from './aime-name.ts';
import { homeUserOf, normaliseAbsolute } from './home-path.ts';

export { sanitiseUsername } from '../../users/sanitise-username.ts';

/** A passwd entry as the probe resolved it through NSS. */
export interface UserEntry {
  name: string;
  uid: number;
}

/** What the owner chain may consult besides the container itself. */
export interface OwnerContext {
  /** Users the probe resolved, by uid and by name. */
  users: { byUid: Map<number, UserEntry>; byName: Map<string, UserEntry> };
  /** Owner uid of each bind source, keyed by the NORMALISED path (see `homeBindSources`); missing = unknown. */
  mountOwners: Record<string, number>;
  /** Root of home directories; default `/home`. */
  homeRoot?: string;
}

const DEFAULT_HOME_ROOT = '/home';

/**
 * Who owns a container; first match wins: `label:ds01.user` → `label:aime.mlc.USER` → `name-uid`
 * (`<name>._.<uid>`, only when the uid is a known user, else fall through) → `devcontainer-folder`
 * → `mount-path` (a bind under `<home>/<user>` that is stat-owned by that user's uid; first in mount
 * order) → `compose-dir` → `unknown`. Path rules need the user in `ctx.users`; label users are taken
 * as given. `uid` is filled whenever the user is known. Never throws.
 */
export function resolveOwner(c: InspectedContainer, ctx: OwnerContext): Owner {
  const users = usersOf(ctx);
  const givenRoot = field(ctx, 'homeRoot');
  const homeRoot = typeof givenRoot === 'string' ? givenRoot : DEFAULT_HOME_ROOT;

  for (const [key, method] of [
    [LABEL_DS01_USER, 'label:ds01.user'],
    [LABEL_AIME_USER, 'label:aime.mlc.USER'],
  ] as const) {
    const user = (labelOf(c, key) ?? '').trim();
    if (user !== '') return { user, uid: users.uidOfName(user), method };
  }

  const nameUid = aimeUidOfName(stringFieldOf(c, 'name'));
  const byUid = nameUid === null ? null : users.byUid(nameUid);
  if (byUid !== null) return { user: byUid.name, uid: byUid.uid, method: 'name-uid' };

  const folderOwner = users.homeUser(labelOf(c, LABEL_DEVCONTAINER_FOLDER), homeRoot);
  if (folderOwner !== null) return { ...folderOwner, method: 'devcontainer-folder' };

  const mountOwners = asRecord(field(ctx, 'mountOwners')) ?? {};
  for (const mount of arrayFieldOf(c, 'mounts')) {
    if (String(field(mount, 'type')).toLowerCase() !== 'bind') continue;
    const source = normaliseAbsolute(field(mount, 'source'));
    const candidate = users.homeUser(source, homeRoot);
    if (source === null || candidate === null || !Object.hasOwn(mountOwners, source)) continue;
    if (mountOwners[source] === candidate.uid) return { ...candidate, method: 'mount-path' };
  }

  const composeOwner = users.homeUser(labelOf(c, LABEL_COMPOSE_WORKING_DIR), homeRoot);
  if (composeOwner !== null) return { ...composeOwner, method: 'compose-dir' };

  return { user: null, uid: null, method: 'unknown' };
}

interface Users {
  byUid(uid: number): { name: string; uid: number } | null;
  uidOfName(name: string): number | null;
  /** The known user whose home holds `path`, or null. */
  homeUser(path: unknown, homeRoot: string): { user: string; uid: number } | null;
}

/** Defensive view of `ctx.users`: tolerates missing maps and malformed entries. */
function usersOf(ctx: unknown): Users {
  const byUidMap = field(field(ctx, 'users'), 'byUid');
  const byNameMap = field(field(ctx, 'users'), 'byName');
  const lookup = (map: unknown, key: number | string): { name: string; uid: number } | null => {
    if (!(map instanceof Map)) return null;
    const entry: unknown = map.get(key);
    const name = field(entry, 'name');
    const uid = field(entry, 'uid');
    return typeof name === 'string' && name !== '' && typeof uid === 'number' && Number.isSafeInteger(uid) && uid >= 0 && uid <= SNAPSHOT_BOUNDS.maxUid
      ? { name, uid }
      : null;
  };
  return {
    byUid: (uid) => lookup(byUidMap, uid),
    uidOfName: (name) => lookup(byNameMap, name)?.uid ?? null,
    homeUser: (path, homeRoot) => {
      const user = homeUserOf(path, homeRoot);
      const uid = user === null ? null : (lookup(byNameMap, user)?.uid ?? null);
      return user === null || uid === null ? null : { user, uid };
    },
  };
}
