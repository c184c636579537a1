import { CaptureFormatError } from '../probe/capture-dir.ts';
import { CAPTURE_USAGE, captureCommand } from './capture.ts';
import { CONFIG_USAGE, configCommand } from './config-check.ts';
import { RULES_USAGE, rulesCommand } from './rules.ts';
import { SERVE_USAGE, serveCommand } from './serve.ts';
import { SILENCE_USAGE, silenceCommand } from './silence.ts';
import { NOTIFY_USAGE, notifyCommand } from './notify-test.ts';
import { ROUTES_TEST_USAGE, routesTestCommand } from './routes-test.ts';
import { TOKEN_USAGE, tokenCommand } from './token.ts';
import { processIo, type CliIo } from './io.ts';
import { PROBE_USAGE, probeCommand } from './probe.ts';
import { UsageError } from './source-options.ts';
import { GPUWARDEN_VERSION } from '../version.ts';

const COMMANDS: Record<string, { run: (args: string[], io: CliIo) => Promise<number>; usage: string }> = {
  probe: { run: probeCommand, usage: PROBE_USAGE },
  capture: { run: captureCommand, usage: CAPTURE_USAGE },
  serve: { run: serveCommand, usage: SERVE_USAGE },
  rules: { run: rulesCommand, usage: RULES_USAGE },
  config: { run: configCommand, usage: CONFIG_USAGE },
  token: { run: tokenCommand, usage: TOKEN_USAGE },
  silence: { run: silenceCommand, usage: SILENCE_USAGE },
  routes: { run: routesTestCommand, usage: ROUTES_TEST_USAGE },
  notify: { run: notifyCommand, usage: NOTIFY_USAGE },
};

const HELP = `gpuwarden: who uses which GPU, and is it fair?

Commands:
${Object.values(COMMANDS).map((c) => `  ${c.usage.split('\n')[0]}`).join('\n')}

  gpuwarden version

Run "gpuwarden help COMMAND" for the flags of one command.
`;

/** Run the CLI with the given arguments; returns the exit code (0 ok, 1 failure, 2 bad usage). */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = rest[0] === undefined ? undefined : COMMANDS[rest[0]];
    io.stdout(topic?.usage ?? HELP);
    return 0;
  }
  if (name === 'version' || name === '--version') {
    io.stdout(`gpuwarden ${GPUWARDEN_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr(`gpuwarden: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`gpuwarden ${name}: ${(err as Error).message}\n\n${command.usage}`);
      return 2;
    }
    if (err instanceof CaptureFormatError) {
      io.stderr(`gpuwarden ${name}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
