// The service token, read from a file so it never shows in `ps` or shell history.
import { readFile, stat } from 'node:fs/promises';

/** Thrown when the token file cannot be used; the message is a plain sentence that never contains the token. */
export class TokenFileError extends Error {
  override name = 'TokenFileError';
}

/** The token and, when the file is readable by group or others, a warning to print. */
export interface TokenFile {
  token: string;
  warning: string | null;
}

/** Read and trim the token in `path`; missing, empty or multi-word files are errors, a group/other-readable mode a warning. */
export async function readTokenFile(path: string): Promise<TokenFile> {
  let text: string;
  let mode: number;
  try {
    mode = (await stat(path)).mode;
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new TokenFileError(`the token file ${path} does not exist`);
    if (code === 'EACCES') throw new TokenFileError(`the token file ${path} cannot be read by this user (permission denied)`);
    if (code === 'EISDIR') throw new TokenFileError(`the token file ${path} is a folder, not a file`);
    throw new TokenFileError(`the token file ${path} cannot be read (${code ?? 'unknown error'})`);
  }
  const token = text.trim();
  if (token === '') throw new TokenFileError(`the token file ${path} is empty; put the service's token in it, on one line`);
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new TokenFileError(`the token file ${path} must hold one token on one line (no spaces or control characters)`);
  }
  const groupOtherRead = mode & 0o044;
  const warning =
    groupOtherRead === 0
      ? null
      : `the token file ${path} is readable by ${groupOtherRead === 0o044 ? 'group and others' : (mode & 0o040) !== 0 ? 'its group' : 'others'} (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${path}`;
  return { token, warning };
}
