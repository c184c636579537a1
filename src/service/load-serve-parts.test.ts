import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serviceDefaultPaths } from '../config/service/default-paths.ts';
import { defaultServiceConfig } from '../config/service/service-config.ts';
import { createMemoryStore } from '../store/memory/memory-store.ts';
import { loadServeParts, StartupError } from './load-serve-parts.ts';

const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(notify: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'gw-parts-'));
  temps.push(dir);
  mkdirSync(join(dir, 'rules'));
  writeFileSync(join(dir, 'rules', 'hot.json'), JSON.stringify({ id: 'hot', scope: 'host', severity: 'critical', summary: 's', notify, conditions: { all: [] } }));
  writeFileSync(join(dir, 'notifications.yaml'), 'route:\n  receiver: ops\nreceivers:\n  - name: ops\n    slack:\n      webhook_url: https://hooks.slack.com/services/T/B/secret\n');
  const config = { ...defaultServiceConfig(serviceDefaultPaths(dir)), rulesDir: join(dir, 'rules'), limitsPath: resolve('config/resource-limits.example.yaml'), notificationsPath: join(dir, 'notifications.yaml') };
  return { dir, config, deps: { store: createMemoryStore(), clock: () => new Date('2026-11-25T12:00:00Z'), log: () => undefined } };
}

describe('loadServeParts (what serve loads at start and at each reload)', () => {
  it('a rule notifying a receiver notifications.yaml does not define stops the load, naming file, rule and entry', async () => {
    const { dir, config, deps } = setup(['admins', 'pager']);
    const err = await loadServeParts(config, deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StartupError);
    expect((err as StartupError).problems).toEqual([
      `${join(dir, 'rules', 'hot.json')}: rule hot: notify[1]: receiver "pager" is not defined in ${join(dir, 'notifications.yaml')} (it defines "ops"; "owner" and "admins" need none)`,
    ]);
    expect((err as Error).message).not.toContain('secret');
  });

  it('loads when every receiver exists, and reports every broken file at once', async () => {
    const { dir, config, deps } = setup(['ops']);
    expect((await loadServeParts(config, deps)).rules.ruleIds).toEqual(new Set(['hot']));
    writeFileSync(join(dir, 'rules', 'x.JSON'), '{}');
    const err = (await loadServeParts({ ...config, limitsPath: join(dir, 'missing.yaml') }, deps).catch((e: unknown) => e)) as StartupError;
    expect(err.problems).toEqual([`${join(dir, 'missing.yaml')}: cannot be read (no such file)`, `${join(dir, 'rules', 'x.JSON')}: $: not read: rule files end in ".json" (lowercase); rename it to x.json`]);
  });
});
