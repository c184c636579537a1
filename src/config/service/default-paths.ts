// Where serve's path settings point when neither a flag nor the config file names them (Node only).
import { join } from 'node:path';
import { packagedLimitsPath, packagedRulesDir } from '../../package-files.ts';
import { stateDir } from '../../state-dir.ts';
import { SERVICE_DEFAULTS, type ServiceDefaultPaths } from './service-config.ts';

/** The rule pack and DS01 limits shipped in the package, and the SQLite file in the state folder (`dir`). */
export function serviceDefaultPaths(dir: string = stateDir()): ServiceDefaultPaths {
  return { store: join(dir, SERVICE_DEFAULTS.store), rulesDir: packagedRulesDir(), limitsPath: packagedLimitsPath() };
}
