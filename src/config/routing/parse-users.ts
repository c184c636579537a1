// users.yaml text → UserDirectory; with the routing config at hand, the receivers it names are checked too.
import { sanitiseUsername } from '../../users/sanitise-username.ts';
import { ConfigError, sortProblems, type ConfigProblem, type PathSegment } from '../limits/config-problem.ts';
import { didYouMean } from '../limits/suggest.ts';
import { readYaml, reporter } from './parse-routing.ts';
import { schemaProblems } from './schema-problems.ts';
import type { ReceiverKind, RoutingConfig, UserDirectory, UserEntry, UsernameSanitiser } from './types.ts';
import { makeUserDirectory } from './user-directory.ts';
import { userDirectoryFileSchema, type UserDirectoryFile } from './users-schema.ts';

/** How parseUserDirectory names the file; `routing` enables the receiver checks; `sanitise` is DS01's by default. */
export interface UserParseOptions {
  file: string;
  routing?: RoutingConfig | null;
  sanitise?: UsernameSanitiser;
}

type Report = (path: PathSegment[], message: string) => void;

function checkReceiver(name: string | undefined, kind: ReceiverKind, path: PathSegment[], routing: RoutingConfig, report: Report): void {
  if (name === undefined) return;
  const receiver = routing.receivers.get(name);
  if (receiver === undefined) {
    const sameKind = [...routing.receivers.values()].filter((r) => r.kind === kind).map((r) => r.name);
    report(path, `receiver "${name}" is not defined in ${routing.source ?? 'the routing config'}${didYouMean(name, sameKind)}`);
  } else if (receiver.kind !== kind) {
    const article = (k: ReceiverKind): string => `${k === 'email' ? 'an' : 'a'} ${k}`;
    report(path, `"${name}" is ${article(receiver.kind)} receiver; ${path.at(-1)} needs ${article(kind)} receiver`);
  }
}

function checkUsers(raw: UserDirectoryFile, entries: UserEntry[], sanitise: UsernameSanitiser, routing: RoutingConfig | null, report: Report): void {
  const d = raw.default ?? {};
  if (d.email_pattern !== undefined && d.email_receiver === undefined) {
    report(['default', 'email_pattern'], 'no default.email_receiver to send these addresses mail with');
  }
  if (routing !== null) {
    checkReceiver(d.email_receiver, 'email', ['default', 'email_receiver'], routing, report);
    checkReceiver(d.slack_receiver, 'slack', ['default', 'slack_receiver'], routing, report);
  }
  const bySanitised = new Map<string, string>();
  for (const entry of entries) {
    const at: PathSegment[] = ['users', entry.name];
    const key = sanitise(entry.name);
    const first = bySanitised.get(key);
    if (first !== undefined) report(at, `is the same DS01 user as "${first}" (both are "${key}" once sanitised)`);
    else bySanitised.set(key, entry.name);
    if (entry.email !== null && d.email_receiver === undefined) report([...at, 'email'], 'no default.email_receiver to send mail to it with');
    if (entry.slackMemberId !== null && entry.slackReceiver === null && d.slack_receiver === undefined) {
      report([...at, 'slack_member_id'], 'no slack_receiver to mention them with: set default.slack_receiver or slack_receiver here');
    }
    if (entry.notify?.includes('slack') === true && entry.slackMemberId === null) report([...at, 'notify'], 'slack needs a slack_member_id');
    if (entry.notify?.includes('email') === true && entry.email === null && d.email_pattern === undefined) {
      report([...at, 'notify'], 'email needs an email (or a default.email_pattern)');
    }
    if (routing !== null) checkReceiver(entry.slackReceiver ?? undefined, 'slack', [...at, 'slack_receiver'], routing, report);
  }
}

/**
 * Parse and check a users.yaml; throws ConfigError listing every problem. Names are DS01 user names as the alerts'
 * `user` label carries them; a name is also found by its sanitised form (`h.baker` for `h.baker@hertie-school.lan`).
 */
export function parseUserDirectory(text: string, options: UserParseOptions): UserDirectory {
  const sanitise = options.sanitise ?? sanitiseUsername;
  const src = readYaml(text, options.file);
  const parsed = userDirectoryFileSchema.safeParse(src.value ?? {});
  if (!parsed.success) throw new ConfigError(schemaProblems(parsed.error.issues, src, userDirectoryFileSchema));
  const raw = parsed.data;
  const entries: UserEntry[] = Object.entries(raw.users ?? {}).map(([name, e]) => ({
    name,
    email: e?.email ?? null,
    slackMemberId: e?.slack_member_id ?? null,
    slackReceiver: e?.slack_receiver ?? null,
    notify: e?.notify ?? null,
  }));
  const problems: ConfigProblem[] = [];
  checkUsers(raw, entries, sanitise, options.routing ?? null, reporter(src, problems));
  if (problems.length > 0) throw new ConfigError(sortProblems(problems));
  const d = raw.default ?? {};
  return makeUserDirectory({
    source: options.file,
    users: entries,
    defaults: {
      emailPattern: d.email_pattern ?? null,
      emailReceiver: d.email_receiver ?? null,
      slackReceiver: d.slack_receiver ?? null,
      ...(d.notify === undefined ? {} : { notify: d.notify }),
    },
    sanitise,
  });
}
