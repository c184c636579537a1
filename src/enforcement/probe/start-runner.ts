// The action runner of a long-running probe (pushing, or serve's local probe), from the probe's enforcement config.
import { createHostEnforcer } from './host-enforcer.ts';
import { createActionRunner, type ActionRunner } from './runner.ts';
import { loadEnforcementSettings } from './settings.ts';

/** Where the enforcer re-reads targets: the probe's own sources. */
export interface RunnerSources {
  dockerSocketPath: string | null;
  procRoot: string;
}

/**
 * Load the enforcement config (null: the defaults, dry-run and warn only), log the mode it runs in, and make the
 * runner; throws EnforcementConfigError (file, line, key) for a broken file.
 */
export async function startActionRunner(file: string | null, sources: RunnerSources, log: (line: string) => void, flag = '--enforcement-config'): Promise<ActionRunner> {
  const settings = await loadEnforcementSettings(file);
  const enforcer = createHostEnforcer({ dockerSocketPath: sources.dockerSocketPath, procRoot: sources.procRoot, devRoot: '/dev' });
  log(`enforcement: mode ${settings.mode}, allowed ${[...settings.allow].join(', ') || 'nothing'}${file === null ? ` (no ${flag}: the defaults)` : ` (${file})`}`);
  return createActionRunner({ settings, enforcer, log });
}
