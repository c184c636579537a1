import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of test/fixtures/proc-cgroup/ (real files, see PROVENANCE.md there). */
export const PROC_CGROUP_FIXTURE_DIR = fileURLToPath(
  new URL('../../../test/fixtures/proc-cgroup/', import.meta.url),
);

/** Text of one fixture file, byte-for-byte as published (UTF-8). */
export function readFixture(name: string): string {
  return readFileSync(`${PROC_CGROUP_FIXTURE_DIR}${name}`, 'utf8');
}

/** Parsed JSON of one fixture file. */
export function readFixtureJson(name: string): unknown {
  return JSON.parse(readFixture(name)) as unknown;
}

/** Every fixture file name except PROVENANCE.md, sorted. */
export function listFixtures(): string[] {
  return readdirSync(PROC_CGROUP_FIXTURE_DIR)
    .filter((name) => name !== 'PROVENANCE.md')
    .sort();
}

/** Fixture files holding /proc/<pid>/cgroup text (not JSON specs, not mountinfo). */
export function listCgroupFixtures(): string[] {
  return listFixtures().filter((name) => !name.endsWith('.json') && !name.includes('mountinfo'));
}
