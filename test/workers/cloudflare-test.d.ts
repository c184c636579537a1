// The part of `cloudflare:test` (@cloudflare/vitest-pool-workers) the D1 tests use, typed against the module form of
// @cloudflare/workers-types (the project's tsconfig loads Node's globals, not the Workers ones).
declare module 'cloudflare:test' {
  import type { D1Database } from '@cloudflare/workers-types/index.ts';

  /** One migration file as readD1Migrations (vitest.config.ts) reads it. */
  export interface D1Migration {
    name: string;
    queries: string[];
  }

  /** The Worker's bindings in tests: wrangler.toml's plus those vitest.config.ts adds. */
  export const env: { DB: D1Database; TEST_MIGRATIONS: D1Migration[] };

  /** Applies the migrations not yet recorded in d1_migrations. */
  export function applyD1Migrations(db: D1Database, migrations: D1Migration[], migrationsTableName?: string): Promise<void>;
}
