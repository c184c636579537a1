// The service's logger: levels, one line per call, JSON or text, secrets redacted whatever the caller passed.
// Runtime-neutral (Node and Workers): it only calls the `write` it is given.
import { formatJson, formatText, LOG_LEVELS, type LogFields, type LogFormat, type LogLevel } from './format.ts';
import { isSecretKey, REDACTED, redactText } from './redact.ts';

export { LOG_FORMATS, LOG_LEVELS, type LogFields, type LogFormat, type LogLevel } from './format.ts';

/** Fields of a plain log call; `level` picks the level (default info). */
export type LineFields = LogFields & { level?: LogLevel };

/**
 * The log function passed around the service: one line, optionally with fields (`level` among them). A function that
 * takes only the line is still a LogFn, so older call sites and sinks keep working.
 */
export type LogFn = (line: string, fields?: LineFields) => void;

/** A levelled logger. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  log(level: LogLevel, msg: string, fields?: LogFields): void;
  /** Whether a line of this level would be written (skip building costly fields otherwise). */
  enabled(level: LogLevel): boolean;
}

/** Options of createLogger. */
export interface LoggerOptions {
  /** Lines below this level are dropped. */
  level: LogLevel;
  format: LogFormat;
  /** Receives each finished line, without a trailing newline. */
  write: (line: string) => void;
  /** The time stamped on each line (default the wall clock). */
  now?: () => Date;
}

/** A logger writing one JSON or text line per call; secret-named fields and secrets inside text are redacted. */
export function createLogger(options: LoggerOptions): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level);
  if (threshold < 0) throw new Error(`log level must be one of ${LOG_LEVELS.join(', ')}, got "${String(options.level)}"`);
  const format = options.format === 'json' ? formatJson : options.format === 'text' ? formatText : null;
  if (format === null) throw new Error(`log format must be json or text, got "${String(options.format)}"`);
  const now = options.now ?? ((): Date => new Date());
  const enabled = (level: LogLevel): boolean => LOG_LEVELS.indexOf(level) >= threshold;
  const log = (level: LogLevel, msg: string, fields: LogFields = {}): void => {
    if (!enabled(level)) return;
    options.write(format({ ts: now(), level, msg: redactText(msg), fields: redactFields(fields) }));
  };
  return {
    debug: (msg, fields) => log('debug', msg, fields),
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
    log,
    enabled,
  };
}

/** The LogFn shim over a logger: `log(line)` logs at info, `log(line, {level: 'error', host})` as told. */
export function lineLog(logger: Logger): LogFn {
  return (line, fields = {}) => {
    const { level, ...rest } = fields;
    logger.log(level !== undefined && LOG_LEVELS.includes(level) ? level : 'info', line, rest);
  };
}

/** A logger that drops everything (the default where no logger is given). */
export const SILENT_LOGGER: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  log: () => undefined,
  enabled: () => false,
};

function redactFields(fields: LogFields): LogFields {
  const out = Object.create(null) as LogFields;
  for (const [key, value] of Object.entries(fields)) {
    out[key] = isSecretKey(key) && value !== undefined && value !== null ? REDACTED : typeof value === 'string' ? redactText(value) : value;
  }
  return out;
}
