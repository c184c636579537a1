// Run a CLI command in-process with captured output, as the tests of every command need.
import type { CliIo } from '../../src/cli/io.ts';

/** What a command printed and returned. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Run `command(args, io)` with stdout/stderr captured and an empty environment (plus `env`). */
export async function runCommand(
  command: (args: string[], io: CliIo) => Promise<number>,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await command(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), env });
  return { code, out, err };
}
