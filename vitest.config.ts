import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

// Two projects: `node` (everything, as before) and `workers` (test/workers/**/*.workers.test.ts inside workerd,
// proving the service core and the Hono app load and answer there, and running the Store contract on D1).
// `vitest run` runs both. The workers project gets the store migrations as TEST_MIGRATIONS (applied to the local D1
// `DB` by test/workers/d1-store.workers.test.ts with applyD1Migrations).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/workers/**', '**/node_modules/**'],
          environment: 'node',
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: { bindings: { TEST_MIGRATIONS: await readD1Migrations('./src/store/migrations') } },
          })),
        ],
        test: {
          name: 'workers',
          include: ['test/workers/**/*.workers.test.ts'],
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
