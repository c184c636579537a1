import { createHash, randomBytes } from 'node:crypto';
import type { CliIo } from './io.ts';
import { UsageError } from './usage-error.ts';

/** Usage text of this command (kept in usage.ts so help never loads the command). */
export { TOKEN_USAGE } from './usage.ts';

/** A fresh token and the SHA-256 hex the service config keeps of it. */
export function newToken(): { token: string; sha256: string } {
  const token = randomBytes(32).toString('hex');
  return { token, sha256: createHash('sha256').update(token, 'utf8').digest('hex') };
}

/** `gpuwarden token new`: print a token and its hash, with where each goes. */
export async function tokenCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'new') throw new UsageError(sub === undefined ? 'token needs a subcommand: new' : `unknown token subcommand "${sub}"`);
  if (rest.length > 0) throw new UsageError(`token new takes no arguments, got "${rest.join(' ')}"`);
  const { token, sha256 } = newToken();
  io.stdout(`token:  ${token}
sha256: ${sha256}

Give the token to the probe or admin (keep it secret: it is not stored anywhere). Put only the sha256 in gpuwarden.yaml:
  hosts:
    <host name>:
      token_sha256: ${sha256}
or, for an admin:
  admins:
    - name: <name>
      token_sha256: ${sha256}
`);
  return 0;
}
