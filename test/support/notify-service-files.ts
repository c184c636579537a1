// The files of a `gpuwarden serve` wired to a real Slack webhook receiver (admins) and SMTP server (users), for
// end-to-end tests: notifications.yaml, users.yaml and gpuwarden.yaml in `dir`.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** notifications.yaml lines: everything to the admins' Slack webhook at `slackUrl`, grouped by alertname, sent at once (the receivers list is left open for more). */
export function adminSlackRouting(slackUrl: string): string[] {
  return [
    'route:',
    '  receiver: admins-slack',
    '  group_by: [alertname]',
    '  group_wait: 0s',
    '  group_interval: 1s',
    '  repeat_interval: 4h',
    'receivers:',
    '  - name: admins-slack',
    `    slack: {webhook_url: "${slackUrl}/services/T000/B000/XXXX"}`,
  ];
}

/**
 * Write the three config files; returns the path of gpuwarden.yaml. `extra` lines are appended to it. notifications.yaml
 * is the admins' Slack plus `users-email` on the SMTP server at `smtpPort`, unless `notifications` gives its lines.
 */
export async function writeNotifyServiceFiles(opts: {
  dir: string;
  slackUrl: string;
  smtpPort?: number;
  notifications?: string[];
  host: string;
  hostSha256: string;
  adminSha256: string;
  extra?: string[];
}): Promise<string> {
  if (opts.notifications === undefined && opts.smtpPort === undefined) throw new Error('writeNotifyServiceFiles: give smtpPort or notifications');
  const notifications = opts.notifications ?? [
    ...adminSlackRouting(opts.slackUrl),
    '  - name: users-email',
    `    email: {host: 127.0.0.1, port: ${opts.smtpPort}, tls: none, from: "gpuwarden <gpuwarden@example.org>"}`,
  ];
  await writeFile(join(opts.dir, 'notifications.yaml'), notifications.join('\n'));
  // The capture's host process runs as daemon, a system account the pattern never writes to: listed, it is reached.
  await writeFile(join(opts.dir, 'users.yaml'), ['default:', "  email_pattern: '{local}@example.org'", '  email_receiver: users-email', 'users:', '  daemon: {email: daemon@example.org}'].join('\n'));
  const config = join(opts.dir, 'gpuwarden.yaml');
  await writeFile(config, [
    'listen: {host: 127.0.0.1, port: 0}',
    `store: ${join(opts.dir, 'gw.sqlite')}`,
    `hosts: {${opts.host}: {token_sha256: ${opts.hostSha256}}}`,
    `admins: [{name: ops, token_sha256: ${opts.adminSha256}}]`,
    `limits: ${join(process.cwd(), 'config/resource-limits.example.yaml')}`,
    `rules: ${join(process.cwd(), 'rules')}`,
    'notifications: notifications.yaml',
    'users: users.yaml',
    ...(opts.extra ?? []),
  ].join('\n'));
  return config;
}
