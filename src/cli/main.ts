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
  ALERTS_USAGE,
  EVENTS_USAGE,
  RULES_CHECK_USAGE,
  RULES_TEST_USAGE,
  TOKEN_USAGE,
  USAGE_USAGE,
  WEB_LINK_USAGE,
} from './usage.ts';
import { UsageError } from './usage-error.ts';
import { GPUWARDEN_VERSION } from '../version.ts';

type Run = (args: string[], io: CliIo) => Promise<number>;

/** One command: how to load it, its usage, and its subcommands' usages (a subcommand without its own shows the command's). */
interface Command {
  load: () => Promise<Run>;
  usage: string;
  subcommands?: Record<string, string | null>;
}

// Each command module is imported only when that command runs, so `version`, `help` and a light command such as
// `probe --once --replay` do not pay for dockerode, nodemailer, the HTTP server or SQLite.
const COMMANDS: Record<string, Command> = {
  probe: { load: async () => (await import('./probe.ts')).probeCommand, usage: PROBE_USAGE },
  capture: { load: async () => (await import('./capture.ts')).captureCommand, usage: CAPTURE_USAGE },
  serve: { load: async () => (await import('./serve.ts')).serveCommand, usage: SERVE_USAGE },
  rules: { load: async () => (await import('./rules.ts')).rulesCommand, usage: RULES_USAGE, subcommands: { check: RULES_CHECK_USAGE, test: RULES_TEST_USAGE } },
  config: { load: async () => (await import('./config-check.ts')).configCommand, usage: CONFIG_USAGE, subcommands: { check: null } },
  token: { load: async () => (await import('./token.ts')).tokenCommand, usage: TOKEN_USAGE, subcommands: { new: null } },
  alerts: { load: async () => (await import('./alerts.ts')).alertsCommand, usage: ALERTS_USAGE },
  usage: { load: async () => (await import('./gpu-usage.ts')).usageCommand, usage: USAGE_USAGE },
  events: { load: async () => (await import('./events.ts')).eventsCommand, usage: EVENTS_USAGE },
  'web-link': { load: async () => (await import('./web-link.ts')).webLinkCommand, usage: WEB_LINK_USAGE },
  silence: { load: async () => (await import('./silence.ts')).silenceCommand, usage: SILENCE_USAGE, subcommands: { add: null, ls: null, expire: null } },
  grant: { load: async () => (await import('./grant.ts')).grantCommand, usage: GRANT_USAGE, subcommands: { add: null, ls: null, revoke: null } },
  actions: { load: async () => (await import('./actions.ts')).actionsCommand, usage: ACTIONS_USAGE, subcommands: { ls: null, approve: null } },
  routes: { load: async () => (await import('./routes-test.ts')).routesTestCommand, usage: ROUTES_TEST_USAGE, subcommands: { test: null } },
  notify: { load: async () => (await import('./notify-test.ts')).notifyCommand, usage: NOTIFY_USAGE, subcommands: { test: null } },
};

/** The commands `main` knows, with the subcommands of each (for the usage tests). */
export const COMMAND_NAMES: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(COMMANDS).map(([name, c]) => [name, Object.keys(c.subcommands ?? {})]),
);

const HELP = `gpuwarden: who uses which GPU, and is it fair?

Commands:
${Object.values(COMMANDS).map((c) => `  ${c.usage.split('\n')[0]}`).join('\n')}

  gpuwarden version

Run "gpuwarden help COMMAND [SUBCOMMAND]" or "gpuwarden COMMAND --help" for the flags and exit codes of one command.
Exit codes: 0 ok, 1 failure, 2 bad usage (an unknown command or flag).
`;

/** The usage text for `words` (a subcommand's own when it has one), or null when the command or subcommand is unknown. */
function usageOf(command: Command, sub: string | undefined): string | null {
  if (sub === undefined || command.subcommands === undefined) return command.usage;
  if (!Object.hasOwn(command.subcommands, sub)) return null;
  return command.subcommands[sub] ?? command.usage;
}

/** Whether the arguments ask for help (-h or --help before a `--`). */
function asksForHelp(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (a === '-h' || a === '--help') return true;
  }
  return false;
}

/** `gpuwarden help [COMMAND [SUBCOMMAND]]`: exit 0 with the usage, 2 for an unknown topic. */
function help(topic: readonly string[], io: CliIo): number {
  const [name, sub] = topic;
  if (name === undefined) {
    io.stdout(HELP);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    io.stderr(`gpuwarden help: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  const usage = usageOf(command, sub);
  if (usage === null) {
    io.stderr(`gpuwarden help: "${name}" has no subcommand "${sub ?? ''}" (it has: ${Object.keys(command.subcommands ?? {}).join(', ')})\n\n${command.usage}`);
    return 2;
  }
  io.stdout(usage);
  return 0;
}

/** Run the CLI with the given arguments; returns the exit code (0 ok, 1 failure, 2 bad usage). */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') return help([], io);
  if (name === 'help') return help(rest, io);
  if (name === 'version' || name === '--version') {
    io.stdout(`gpuwarden ${GPUWARDEN_VERSION}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    io.stderr(`gpuwarden: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  const usage = usageOf(command, rest[0]) ?? command.usage;
  if (asksForHelp(rest)) {
    io.stdout(usage);
    return 0;
  }
  try {
    const run = await command.load();
    return await run(rest, io);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`gpuwarden ${name}: ${(err as Error).message}\n\n${usage}`);
      return 2;
    }
    if (err instanceof CaptureFormatError) {
      io.stderr(`gpuwarden ${name}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
