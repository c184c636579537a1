// The parts of vitest-pool-workers' `cloudflare:test` module these tests use, typed against the module form of
// @cloudflare/workers-types (its full types pull in Workers globals, which clash with @types/node in this one tsconfig).
declare module 'cloudflare:test' {
  import type { D1Database } from '@cloudflare/workers-types/index.ts';

  /** One migration file as readD1Migrations (vitest.config.ts) reads it. */
  export interface D1Migration {
    name: string;
    queries: string[];
  }

  /** The Worker's bindings in tests: wrangler.toml's (DB, HOST_WRITER, …) plus those vitest.config.ts adds. */
  export const env: { DB: D1Database; TEST_MIGRATIONS: D1Migration[] } & Record<string, unknown>;

  /** Applies the migrations not yet recorded in d1_migrations. */
  export function applyD1Migrations(db: D1Database, migrations: D1Migration[], migrationsTableName?: string): Promise<void>;
  export function createExecutionContext(): { waitUntil(p: Promise<unknown>): void; passThroughOnException(): void; props: unknown };
  export function waitOnExecutionContext(ctx: unknown): Promise<void>;
  /** The ids of every object created in a Durable Object namespace. */
  export function listDurableObjectIds(namespace: unknown): Promise<{ toString(): string }[]>;
  /** Runs the object's alarm now, if one is set (and removes it first); says whether one ran. */
  export function runDurableObjectAlarm(stub: unknown): Promise<boolean>;
  /** Runs `callback` inside the object `stub` points to, with its instance and state. */
  export function runInDurableObject<R>(stub: unknown, callback: (instance: unknown, state: { storage: { getAlarm(): Promise<number | null>; deleteAlarm(): Promise<void> } }) => R | Promise<R>): Promise<R>;
}
