// D1 binds positional parameters only (`?` / `?NNN`); the shared SQL of store/sqlite names them (`@column`, as
// better-sqlite3 binds objects). This rewrites a statement once and binds a row object by those names, so both
// stores run the very same SQL text.
import type { D1Database, D1PreparedStatement } from '@cloudflare/workers-types/index.ts';

/** D1 refuses a statement with more bound parameters than this. */
export const D1_MAX_BOUND_PARAMETERS = 100;

/** A statement with its `@name` parameters rewritten to `?N`, and the name at each position. */
export interface PositionalSql {
  sql: string;
  names: readonly string[];
}

const compiled = new Map<string, PositionalSql>();

/** `sql` with each `@name` replaced by `?N` (a repeated name reuses its number); cached per text. */
export function toPositional(sql: string): PositionalSql {
  const cached = compiled.get(sql);
  if (cached !== undefined) return cached;
  const names: string[] = [];
  const text = sql.replace(/@([A-Za-z_][A-Za-z0-9_]*)/g, (_match, name: string) => {
    let index = names.indexOf(name);
    if (index < 0) index = names.push(name) - 1;
    return `?${index + 1}`;
  });
  if (names.length > D1_MAX_BOUND_PARAMETERS) throw new Error(`A D1 statement takes at most ${D1_MAX_BOUND_PARAMETERS} parameters, this one has ${names.length}.`);
  const result = { sql: text, names };
  compiled.set(sql, result);
  return result;
}

/**
 * The D1 statement for SQL with `@name` parameters, bound from `params`. An undefined value binds NULL (D1 refuses
 * undefined), so the schema's NOT NULL constraint names the missing column, as with the SQLite store; a name the
 * object lacks altogether is a bug and throws.
 */
export function prepareNamed(db: D1Database, sql: string, params: object): D1PreparedStatement {
  const { sql: text, names } = toPositional(sql);
  const values = params as Record<string, unknown>;
  return db.prepare(text).bind(
    ...names.map((name) => {
      if (!Object.hasOwn(values, name)) throw new Error(`No value for @${name} in: ${sql}`);
      return values[name] ?? null;
    }),
  );
}

/** `items` in slices of at most `size` (IN lists under D1's parameter limit, bounded batches). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let from = 0; from < items.length; from += size) out.push(items.slice(from, from + size));
  return out;
}

/** `(?, ?, …)` with `n` placeholders. */
export function placeholders(n: number): string {
  return `(${Array.from({ length: n }, () => '?').join(', ')})`;
}
