import { CaptureFormatError } from '../probe/capture-format-error.ts';
import { processIo, type CliIo } from './io.ts';
import {
  CAPTURE_USAGE,
  CONFIG_USAGE,
  NOTIFY_USAGE,
  PROBE_USAGE,
  ROUTES_TEST_USAGE,
  RULES_USAGE,
  SERVE_USAGE,
  SILENCE_USAGE,
  GRANT_USAGE,
  ACTIONS_USAGE,
  TOKEN_USAGE,
} from './usage.ts';
import { UsageError } from './usage-error.ts';
import { GPUWARDEN_VERSION } from '../version.ts';

type Run = (args: string[], io: CliIo) => Promise<number>;

// Each command module is imported only when that command runs, so `version`, `help` and a light command such as
// `probe --once --replay` do not pay for dockerode, nodemailer, the HTTP server or SQLite.
const COMMANDS: Record<string, { load: () => Promise<Run>; usage: string }> = {
  probe: { load: async () => (await import('./probe.ts')).probeCommand, usage: PROBE_USAGE },
  capture: { load: async () => (await import('./capture.ts')).captureCommand, usage: CAPTURE_USAGE },
  serve: { load: async () => (await import('./serve.ts')).serveCommand, usage: SERVE_USAGE },
  rules: { load: async () => (await import('./rules.ts')).rulesCommand, usage: RULES_USAGE },
  config: { load: async () => (await import('./config-check.ts')).configCommand, usage: CONFIG_USAGE },
  token: { load: async () => (await import('./token.ts')).tokenCommand, usage: TOKEN_USAGE },
  silence: { load: async () => (await import('./silence.ts')).silenceCommand, usage: SILENCE_USAGE },
  grant: { load: async () => (await import('./grant.ts')).grantCommand, usage: GRANT_USAGE },
  actions: { load: async () => (await import('./actions.ts')).actionsCommand, usage: ACTIONS_USAGE },
  routes: { load: async () => (await import('./routes-test.ts')).routesTestCommand, usage: ROUTES_TEST_USAGE },
  notify: { load: async () => (await import('./notify-test.ts')).notifyCommand, usage: NOTIFY_USAGE },
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
    const run = await command.load();
    return await run(rest, io);
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
