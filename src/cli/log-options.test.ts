import { describe, expect, it } from 'vitest';
import { logChoice } from './log-options.ts';
import { UsageError } from './usage-error.ts';

describe('logChoice', () => {
  it('defaults to info, text on a terminal and JSON lines otherwise', () => {
    expect(logChoice({}, undefined, true)).toEqual({ level: 'info', format: 'text' });
    expect(logChoice({}, undefined, false)).toEqual({ level: 'info', format: 'json' });
  });

  it('the config file beats the defaults, the flags beat the config file', () => {
    expect(logChoice({}, { level: 'warn', format: 'text' }, false)).toEqual({ level: 'warn', format: 'text' });
    expect(logChoice({ 'log-level': 'debug', 'log-format': 'json' }, { level: 'warn', format: 'text' }, true)).toEqual({ level: 'debug', format: 'json' });
  });

  it('an unknown level or format is a usage error naming the flag', () => {
    expect(() => logChoice({ 'log-level': 'loud' }, undefined, false)).toThrow(UsageError);
    expect(() => logChoice({ 'log-level': 'loud' }, undefined, false)).toThrow('--log-level must be one of debug, info, warn, error, got "loud"');
    expect(() => logChoice({ 'log-format': 'xml' }, undefined, false)).toThrow('--log-format must be json or text, got "xml"');
  });
});
