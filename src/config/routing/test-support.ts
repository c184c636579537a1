// Test helpers: routing configs and user directories written inline, with fake environment and secret files.
import { ConfigError, formatProblem } from '../limits/config-problem.ts';
import { parseRoutingConfig } from './parse-routing.ts';
import { parseUserDirectory } from './parse-users.ts';
import type { RoutingConfig, UserDirectory } from './types.ts';

/** A webhook URL that only tests use. */
export const TEST_WEBHOOK = 'https://hooks.slack.com/services/T000/B000/TESTSECRET';

/** Fake files for `*_file` secrets, by absolute path under /cfg. */
export type FakeFiles = Readonly<Record<string, string>>;

function readFake(files: FakeFiles): (path: string) => Promise<string> {
  return async (path) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  };
}

/** Parse an inline notifications.yaml (as `/cfg/notifications.yaml`); throws ConfigError like the loader. */
export function routingFrom(text: string, env: Record<string, string> = {}, files: FakeFiles = {}): Promise<RoutingConfig> {
  return parseRoutingConfig(text, { file: 'notifications.yaml', baseDir: '/cfg', env, readTextFile: readFake(files) });
}

/** The formatted problems of an inline notifications.yaml ([] when it loads). */
export async function routingProblems(text: string, env: Record<string, string> = {}, files: FakeFiles = {}): Promise<string[]> {
  try {
    await routingFrom(text, env, files);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map(formatProblem);
    throw err;
  }
}

/** Parse an inline users.yaml (as `users.yaml`), checked against `routing` when given. */
export function usersFrom(text: string, routing: RoutingConfig | null = null): UserDirectory {
  return parseUserDirectory(text, { file: 'users.yaml', routing });
}

/** The formatted problems of an inline users.yaml ([] when it loads). */
export function userProblems(text: string, routing: RoutingConfig | null = null): string[] {
  try {
    usersFrom(text, routing);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map(formatProblem);
    throw err;
  }
}

/** A routing config with every kind of receiver the recipient tests need (Slack via an env var). */
export const RECIPIENT_ROUTING = `
route:
  receiver: admins-slack
  group_by: [alertname]
  routes:
    - matchers: [severity=critical]
      receiver: admins-critical
      group_wait: 30s
      continue: true
    - matchers: [severity=critical]
      receiver: admins-email
receivers:
  - name: admins-slack
    slack: {webhook_url_env: ADMINS_URL}
  - name: admins-critical
    slack: {webhook_url_env: CRITICAL_URL}
  - name: admins-email
    email: {host: smtp.example.org, from: gw@example.org, to: [admins@example.org]}
  - name: users-email
    email: {host: smtp.example.org, from: gw@example.org}
  - name: users-slack
    slack: {webhook_url_env: USERS_URL}
  - name: lab-slack
    slack: {webhook_url_env: LAB_URL}
`;

/** The environment RECIPIENT_ROUTING reads its webhooks from. */
export const RECIPIENT_ENV: Record<string, string> = {
  ADMINS_URL: 'https://hooks.slack.com/services/T0/B0/ADMINS',
  CRITICAL_URL: 'https://hooks.slack.com/services/T0/B0/CRITICAL',
  USERS_URL: 'https://hooks.slack.com/services/T0/B0/USERS',
  LAB_URL: 'https://hooks.slack.com/services/T0/B0/LAB',
};
