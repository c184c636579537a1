import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { CliIo } from './io.ts';
import { UsageError } from './usage-error.ts';

/** Usage text of this command (kept in usage.ts so help never loads the command). */
export { TOKEN_USAGE } from './usage.ts';

/** A fresh token and the SHA-256 hex the service config keeps of it. */
export function newToken(): { token: string; sha256: string } {
  const token = randomBytes(32).toString('hex');
  return { token, sha256: createHash('sha256').update(token, 'utf8').digest('hex') };
}

/** parseArgs options of `gpuwarden token new`. */
export const TOKEN_FLAGS = { json: { type: 'boolean' }, file: { type: 'string' } } as const;

/** `gpuwarden token new`: print a token and its hash, with where each goes (`--json`: `{token, sha256}` only). */
export async function tokenCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'new') throw new UsageError(sub === undefined ? 'token needs a subcommand: new' : `unknown token subcommand "${sub}"`);
  const { values, positionals } = parseArgs({ args: rest, options: TOKEN_FLAGS, allowPositionals: true, strict: true });
  if (positionals.length > 0) throw new UsageError(`token new takes no arguments, got "${positionals.join(' ')}"`);
  const { token, sha256 } = newToken();
  if (values.file !== undefined) {
    if (values.file === '') throw new UsageError('--file needs a path');
    try {
      // Readable by this user only, and never over an existing file (a token in use would be lost).
      await writeFile(values.file, `${token}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      io.stderr(`gpuwarden token new: cannot write ${values.file} (${code === 'EEXIST' ? 'it exists: a token in use is never overwritten' : (code ?? 'unknown error')})\n`);
      return 1;
    }
    io.stdout(values.json === true ? `${JSON.stringify({ file: values.file, sha256 })}\n` : `token written to ${values.file} (mode 600)\nsha256: ${sha256}\n`);
    return 0;
  }
  if (values.json === true) {
    io.stdout(`${JSON.stringify({ token, sha256 })}\n`);
    return 0;
  }
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
