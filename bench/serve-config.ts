import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The gpuwarden.yaml a benchmark's `gpuwarden serve` runs on: its hosts' tokens, the default pack and DS01 limits, a SQLite file in `dir`. */
export async function writeServeConfig(dir: string, options: { port: number; hosts: { name: string; sha256: string }[]; adminSha256: string; extra: string[] }): Promise<string> {
  const path = join(dir, 'gpuwarden.yaml');
  await writeFile(path, [
    `listen: {host: 127.0.0.1, port: ${options.port}}`,
    `store: ${join(dir, 'gw.sqlite')}`,
    'hosts:',
    ...options.hosts.map((h) => `  ${h.name}: {token_sha256: ${h.sha256}}`),
    `admins: [{name: bench, token_sha256: ${options.adminSha256}}]`,
    `limits: ${join(process.cwd(), 'config/resource-limits.example.yaml')}`,
    `rules: ${join(process.cwd(), 'rules')}`,
    ...options.extra,
  ].join('\n'));
  return path;
}

/** Extra node flags for the benchmark's server from BENCH_SERVER_NODE_ARGS (e.g. `--cpu-prof`), to profile it. */
export function serverNodeArgs(): string[] {
  return (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
}
