// Writes src/server/worker-pack.ts: the rule pack (rules/*.json) and the DS01 limits, validated here with the loaders
// of `gpuwarden serve` (any problem fails with file, line and key), and optionally the routing config
// (notifications.yaml) and user directory (users.yaml) as text (their secrets are read from the Worker's env).
// Usage: npx tsx scripts/gen-worker-pack.ts [--limits=FILE] [--notifications=FILE] [--users=FILE] [--check]
//   --check: exit 1 when the committed module differs from what these options would write (a test runs it).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compileWorkerPack, packModule } from '../src/server/worker-pack-compile.ts';

const OUT = 'src/server/worker-pack.ts';
const args = process.argv.slice(2);
const opt = (name: string): string | null => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? null;
const limitsPath = opt('limits') ?? 'config/resource-limits.example.yaml';
const notificationsPath = opt('notifications');
const usersPath = opt('users');

const file = (path: string): { file: string; text: string } => ({ file: basename(path), text: readFileSync(path, 'utf8') });
const ruleFiles = readdirSync('rules')
  .filter((n) => n.endsWith('.json') && !n.endsWith('.schema.json'))
  .sort();

let out: string;
try {
  const { pack, warnings } = compileWorkerPack({
    rules: ruleFiles.map((n) => ({ path: `rules/${n}`, text: readFileSync(join('rules', n), 'utf8') })),
    limits: file(limitsPath),
    notifications: notificationsPath === null ? null : file(notificationsPath),
    users: usersPath === null ? null : file(usersPath),
  });
  for (const w of warnings) console.error(`warning: ${w}`);
  out = packModule(pack, ['rules/', limitsPath, notificationsPath, usersPath].filter((p) => p !== null).join(', '));
} catch (err) {
  console.error(`gen-worker-pack: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

if (args.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(OUT, 'utf8');
  } catch {
    // missing: out of date
  }
  if (current !== out) {
    console.error(`${OUT} is out of date: run npm run worker:pack`);
    process.exit(1);
  }
} else {
  writeFileSync(OUT, out);
  console.log(`wrote ${OUT} (${ruleFiles.length} rules, ${out.length} bytes)`);
}
