import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/service/config-error.ts';
import { serviceInputProblems } from '../config/service/check-inputs.ts';
import { loadServiceConfig } from '../config/service/load.ts';
import { serviceDefaultPaths } from '../config/service/default-paths.ts';
import { defaultServiceConfig, resolveStoreSpec, type ServiceConfig, type ServiceDefaultPaths } from '../config/service/service-config.ts';
import { createApp } from '../server/app.ts';
import { createLatestSnapshots } from '../server/latest-snapshots.ts';
import { nodeTokenDigest } from '../server/node-digest.ts';
import { startNodeServer, type NodeServer, type SignalSource } from '../server/node.ts';
import { makeCore as defaultMakeCore } from '../service/make-core.ts';
import { createTurnGate } from '../scheduling/turn-gate.ts';
import { openStore as defaultOpenStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import type { CliIo } from './io.ts';
import { UsageError } from './usage-error.ts';
import { createLogger, lineLog, type Logger } from '../log/logger.ts';
import { LOG_FLAGS, logChoice } from './log-options.ts';
import { LOCAL_PROBE_FLAGS, localProbeFromFlags, startLocalProbe } from './local-probe.ts';
import type { LocalLoop } from '../probe/local-loop.ts';
import { readTokenFile, TokenFileError } from '../probe/push/token-file.ts';
import type { TokenHash } from '../server/auth.ts';

/** Usage text of this command (kept in usage.ts so help never loads the command). */
export { SERVE_USAGE } from './usage.ts';

/** Seams for tests and the integrator: what serve builds its parts with, and a hook once it listens. */
export interface ServeHooks {
  makeCore?: typeof defaultMakeCore;
  openStore?: (spec: string) => Store;
  signals?: SignalSource;
  onListening?: (server: NodeServer) => void | Promise<void>;
  /** The service's clock (default the wall clock): end-to-end tests step it to play hours in seconds. */
  clock?: () => Date;
}

/** parseArgs options of `gpuwarden serve`. */
export const SERVE_FLAGS = {
  config: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  store: { type: 'string' },
  rules: { type: 'string' },
  limits: { type: 'string' },
  'admin-token-file': { type: 'string' },
  ...LOG_FLAGS,
  ...LOCAL_PROBE_FLAGS,
} as const;

/**
 * The config file (or the defaults) with the command-line flags applied; flag paths are relative to `cwd`, defaults
 * never (`defaults`: the package's rules and limits, the state folder's store). Throws ConfigError / UsageError.
 */
export async function serveConfig(args: string[], cwd: string, defaults: ServiceDefaultPaths = serviceDefaultPaths()): Promise<ServiceConfig> {
  const { values } = parseArgs({ args, options: SERVE_FLAGS, strict: true, allowPositionals: false });
  const port = values.port === undefined ? undefined : parsePort(values.port);
  if (values.host === '') throw new UsageError('--host must not be empty');
  const base = values.config === undefined ? defaultServiceConfig(defaults) : await loadServiceConfig(values.config, cwd, defaults);
  return {
    ...base,
    listen: { host: values.host ?? base.listen.host, port: port ?? base.listen.port },
    store: values.store === undefined ? base.store : resolveStoreSpec(values.store, cwd),
    rulesDir: values.rules === undefined ? base.rulesDir : resolve(cwd, values.rules),
    limitsPath: values.limits === undefined ? base.limitsPath : resolve(cwd, values.limits),
    auth: values['admin-token-file'] === undefined ? base.auth : { ...base.auth, admins: [...base.auth.admins, await adminFromTokenFile(resolve(cwd, values['admin-token-file']))] },
    ...localProbeOf(localProbeFromFlags(values, base.localProbe, cwd)),
  };
}

/** `--admin-token-file F`: one more admin, named after the file (`admin.token` → admin), by the token's SHA-256. */
async function adminFromTokenFile(path: string): Promise<TokenHash> {
  try {
    const { token } = await readTokenFile(path);
    return { name: basename(path).replace(/\.[^.]*$/, '') || 'admin', tokenSha256: createHash('sha256').update(token, 'utf8').digest('hex') };
  } catch (err) {
    if (err instanceof TokenFileError) throw new UsageError(`--admin-token-file: ${err.message}`);
    throw err;
  }
}

function localProbeOf(localProbe: ServiceConfig['localProbe']): Pick<ServiceConfig, 'localProbe'> {
  return localProbe === undefined ? {} : { localProbe };
}

/** `gpuwarden serve`: load config, open the store, build the core and app, listen until SIGTERM/SIGINT; SIGHUP reloads. */
export async function serveCommand(args: string[], io: CliIo, hooks: ServeHooks = {}): Promise<number> {
  let config: ServiceConfig;
  try {
    config = await serveConfig(args, process.cwd());
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr(`gpuwarden serve: invalid configuration:\n${err.message}\n`);
    return 1;
  }
  // Nothing is created (store folder, SQLite file) before the files serve needs are known to be there.
  const missing = serviceInputProblems(config);
  if (missing.length > 0) {
    io.stderr(`gpuwarden serve: invalid configuration:\n${missing.join('\n')}\n`);
    return 1;
  }
  const logger = serveLogger(args, config, io);
  const localProbe = config.localProbe?.enabled === true ? config.localProbe : null;
  // This machine's own snapshots need no token: the notice is for probes on other hosts.
  if (config.auth.hosts.length === 0 && localProbe === null) noHostsNotice(logger, io);

  let store: Store;
  try {
    store = (hooks.openStore ?? defaultOpenStore)(config.store);
  } catch (err) {
    io.stderr(`gpuwarden serve: cannot open the store ${config.store}: ${messageOf(err)}\n`);
    return 1;
  }
  const clock = hooks.clock ?? ((): Date => new Date());
  // The log(line) shim over the logger: what the core, the node server and reloads log through.
  const log = lineLog(logger);
  let server: NodeServer;
  let local: LocalLoop | null = null;
  let deliver: (() => Promise<number>) | undefined;
  let closeNotifiers: (() => Promise<void>) | undefined;
  try {
    const makeCore = hooks.makeCore ?? defaultMakeCore;
    // One gate for parsing (routes) and evaluating (core): a burst of snapshots takes turns with every other request.
    const gate = createTurnGate();
    // A reload (SIGHUP, POST /v1/reload) reads the config file and flags again, then every file they name.
    const rereadServiceConfig = (): Promise<ServiceConfig> => serveConfig(args, process.cwd());
    const core = await makeCore({ store, clock, rulesDir: config.rulesDir, limitsPath: config.limitsPath, serviceConfig: config, log, gate, rereadServiceConfig });
    deliver = core.deliver;
    closeNotifiers = core.closeNotifiers;
    // Snapshots of the local probe skip the HTTP route, so both keep into one LatestSnapshots (/metrics, usage).
    const latestSnapshots = createLatestSnapshots();
    const app = createApp({
      store, core, latest: latestSnapshots, auth: core.auth ?? config.auth, clock, bodyLimitBytes: config.bodyLimitBytes, log, logger, tokenDigest: nodeTokenDigest, gate,
      silentAfterMs: config.probeIntervalS * config.hostSilentAfterIntervals * 1000,
      publicUrl: config.publicUrl,
      ...(core.grantsFromConfig === undefined ? {} : { grantsFromConfig: core.grantsFromConfig }),
      ...(core.ruleIds === undefined ? {} : { ruleIds: core.ruleIds }),
      ...(core.limits === undefined ? {} : { limits: core.limits }),
      ...(core.reload === undefined ? {} : { reload: core.reload }),
    });
    server = await startNodeServer({
      app,
      core,
      hostname: config.listen.host,
      port: config.listen.port,
      tickIntervalMs: config.tickIntervalS * 1000,
      clock,
      log,
      store,
      ...(hooks.signals === undefined ? {} : { signals: hooks.signals }),
      ...(core.reload === undefined ? {} : { reload: core.reload }),
      // The local probe stops first (its ingest in flight finishes), then the server.
      beforeClose: async () => local?.stop(),
    });
    if (localProbe !== null) {
      try {
        local = await startLocalProbe(localProbe, {
          ingest: async (snapshot) => {
            const result = await core.ingest(snapshot, clock());
            if (result.accepted) latestSnapshots.remember(snapshot);
            return result;
          },
          log,
          env: io.env,
          defaultIntervalMs: config.probeIntervalS * 1000,
        });
      } catch (err) {
        await server.close();
        throw err;
      }
    }
  } catch (err) {
    io.stderr(`gpuwarden serve: cannot start: ${messageOf(err)}\n`);
    await store.close().catch(() => undefined);
    return 1;
  }
  const hostForUrl = server.hostname.includes(':') ? `[${server.hostname}]` : server.hostname;
  io.stdout(
    `gpuwarden serve: listening on http://${hostForUrl}:${server.port} (store ${config.store}, ` +
      `${config.auth.hosts.length} host token(s), ${config.auth.admins.length} admin token(s))\n`,
  );
  // Notifications: drain the outbox a few times a second (rate limits and timings live in the worker).
  let delivering = false;
  const timer = deliver === undefined ? undefined : setInterval(() => {
    if (delivering || deliver === undefined) return;
    delivering = true;
    deliver().catch((err: unknown) => log(`notify: delivery pass failed: ${messageOf(err)}`, { level: 'error' })).finally(() => { delivering = false; });
  }, DELIVERY_INTERVAL_MS);
  await hooks.onListening?.(server);
  await server.closed;
  if (timer !== undefined) clearInterval(timer);
  await closeNotifiers?.().catch(() => undefined);
  io.stdout('gpuwarden serve: stopped\n');
  return 0;
}

const DELIVERY_INTERVAL_MS = 250;

/** The service's logger on stderr: --log-level/--log-format, then the config's log:, then info and JSON unless on a terminal. */
function serveLogger(args: string[], config: ServiceConfig, io: CliIo): Logger {
  const { values } = parseArgs({ args, options: SERVE_FLAGS, strict: true, allowPositionals: false });
  const choice = logChoice(values, config.log, io.stderrIsTTY === true);
  return createLogger({ ...choice, write: (line) => io.stderr(`${line}\n`) });
}

/** How to add a host token: the whole text on a terminal, one warn line (the steps in `hint`) in JSON. */
function noHostsNotice(logger: Logger, io: CliIo): void {
  if (io.stderrIsTTY === true && logger.enabled('warn')) {
    io.stderr(NO_HOSTS_NOTICE);
    return;
  }
  const [first, ...rest] = NO_HOSTS_NOTICE.trimEnd().split('\n');
  logger.warn(first ?? '', { hint: rest.map((l) => l.trim()).join(' ') });
}

const NO_HOSTS_NOTICE = `gpuwarden serve: notice: no host tokens are configured, so every probe's POST /v1/snapshots gets 401.
  To add one: run "gpuwarden token new", give the token to the probe, and put its sha256 in gpuwarden.yaml:
    hosts:
      <host name>:
        token_sha256: <sha256>
  then start with --config gpuwarden.yaml (annotated example: config/gpuwarden.example.yaml).
`;

function parsePort(text: string): number {
  const n = Number(text);
  if (!/^[0-9]{1,5}$/.test(text) || n > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, got "${text}"`);
  return n;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
