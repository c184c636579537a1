// The files serve reads at start, checked before it creates anything (the store's folder and SQLite file).
import { accessSync, constants, statSync } from 'node:fs';
import type { ServiceConfig } from './service-config.ts';

/**
 * The path settings that name nothing usable, as `key: problem` lines (empty when all are there): the rules folder,
 * the limits file, and the notifications and users files when set. Their contents are checked later, at load.
 */
export function serviceInputProblems(config: ServiceConfig): string[] {
  const problems: string[] = [];
  try {
    if (!statSync(config.rulesDir).isDirectory()) problems.push(`rules: ${config.rulesDir} is not a folder`);
  } catch (err) {
    problems.push(`rules: ${config.rulesDir} is not a folder (${codeOf(err)})`);
  }
  const files: Array<[string, string | null]> = [['limits', config.limitsPath], ['notifications', config.notificationsPath], ['users', config.usersPath]];
  for (const [key, path] of files) {
    if (path === null) continue;
    try {
      accessSync(path, constants.R_OK);
    } catch (err) {
      problems.push(`${key}: cannot read ${path} (${codeOf(err)})`);
    }
  }
  return problems;
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unreadable';
}
