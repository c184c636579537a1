import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../log/logger.ts';
import { UsageError } from './usage-error.ts';

/** parseArgs options for the log flags (`--log-level`, `--log-format`). */
export const LOG_FLAGS = {
  'log-level': { type: 'string' },
  'log-format': { type: 'string' },
} as const;

/** The level and format a command logs with. */
export interface LogChoice {
  level: LogLevel;
  format: LogFormat;
}

/**
 * Flags first, then the config file's `log:`, then the defaults: info, text when stderr is a terminal, else JSON lines.
 * Throws UsageError naming the flag for an unknown level or format.
 */
export function logChoice(flags: { 'log-level'?: string; 'log-format'?: string }, config: { level?: LogLevel; format?: LogFormat } | undefined, stderrIsTTY: boolean): LogChoice {
  const level = flags['log-level'];
  const format = flags['log-format'];
  if (level !== undefined && !(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`);
  }
  if (format !== undefined && !(LOG_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--log-format must be json or text, got "${format}"`);
  }
  return {
    level: (level as LogLevel | undefined) ?? config?.level ?? 'info',
    format: (format as LogFormat | undefined) ?? config?.format ?? (stderrIsTTY ? 'text' : 'json'),
  };
}
