// The parts of vitest-pool-workers' `cloudflare:test` module these tests use (its full types pull in
// @cloudflare/workers-types globals, which clash with @types/node in this one tsconfig).
declare module 'cloudflare:test' {
  /** The bindings of wrangler.toml (HOST_WRITER, DB, …). */
  export const env: Record<string, unknown>;
  export function createExecutionContext(): { waitUntil(p: Promise<unknown>): void; passThroughOnException(): void; props: unknown };
  export function waitOnExecutionContext(ctx: unknown): Promise<void>;
  /** The ids of every object created in a Durable Object namespace. */
  export function listDurableObjectIds(namespace: unknown): Promise<{ toString(): string }[]>;
}
