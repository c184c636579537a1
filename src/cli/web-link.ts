import { parseArgs } from 'node:util';
import { durationProblem } from '../format/duration.ts';
import { runAdminRequest, ServiceError } from './admin-client.ts';
import type { CliIo } from './io.ts';
import { UsageError } from './usage-error.ts';

/** Usage text of this command (kept in usage.ts so help never loads the command). */
export { WEB_LINK_USAGE } from './usage.ts';

/** parseArgs options of `gpuwarden web-link`. */
export const WEB_LINK_FLAGS = {
  url: { type: 'string' },
  'token-file': { type: 'string' },
  user: { type: 'string' },
  ttl: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The service's reply to POST /v1/web/links. */
interface LinkReply {
  user: string;
  path: string;
  url: string | null;
  expiresAt: string;
  note?: string;
}

function linkOf(body: unknown): LinkReply {
  const reply = body as Partial<LinkReply> | null;
  if (typeof reply?.path !== 'string' || typeof reply.expiresAt !== 'string') throw new ServiceError('the service answered without a link');
  return reply as LinkReply;
}

/** The link and its expiry in words; without a public URL, the path and what to do with it. */
export function renderLink(link: LinkReply): string {
  const head = link.url ?? link.path;
  const note = link.url === null ? `note: ${link.note ?? 'the service has no public URL'}\n` : '';
  return `${head}\nsigns in as ${link.user} until ${link.expiresAt}\n${note}`;
}

/** `gpuwarden web-link --user U [--ttl D] [--json]`: a sign-in link for U's page. Exit 0 ok, 1 request failed; UsageError. */
export async function webLinkCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: WEB_LINK_FLAGS, allowPositionals: true, strict: true });
  if (positionals.length > 0) throw new UsageError(`web-link takes no arguments, got "${positionals.join(' ')}"; name the user with --user U`);
  if (values.user === undefined || values.user === '') throw new UsageError('web-link needs --user U (whose page the link opens)');
  if (values.ttl !== undefined) {
    const problem = durationProblem(values.ttl);
    if (problem !== null) throw new UsageError(`--ttl: ${problem}`);
  }
  return runAdminRequest(io, { command: 'web-link', sub: null }, { url: values.url, tokenFile: values['token-file'] }, {
    method: 'POST',
    path: '/v1/web/links',
    body: { user: values.user, ...(values.ttl === undefined ? {} : { ttl: values.ttl }) },
    render: (reply) => (values.json === true ? `${JSON.stringify(linkOf(reply), null, 2)}\n` : renderLink(linkOf(reply))),
  });
}
