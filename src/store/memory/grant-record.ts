// The stores' check of a grant before it is kept (the memory store's stand-in for the 0009 migration's NOT NULL and
// CHECK constraints; the SQLite store runs it too), so both refuse the same records with the same message.
import { grantSchema, type Grant } from '../../enforcement/grant.ts';

/** A checked, detached copy of a grant; throws a TypeError naming the grant and each bad field. */
export function storedGrant(grant: Grant): Grant {
  const result = grantSchema.safeParse(grant);
  if (!result.success) {
    const id = typeof (grant as { id?: unknown }).id === 'string' ? grant.id : '(no id)';
    const problems = result.error.issues.map((i) => `${i.path.length === 0 ? '(grant)' : i.path.join('.')}: ${i.message}`);
    throw new TypeError(`grant ${id}: ${problems.join('; ')}.`);
  }
  return { ...result.data };
}
