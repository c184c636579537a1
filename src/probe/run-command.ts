import { execFile } from 'node:child_process';
import type { RawSource } from './raw-capture.ts';

/** Limits for one external command. */
export interface RunOptions {
  timeoutMs: number;
  maxBufferBytes: number;
}

const STDERR_KEEP_CHARS = 4000;

function firstLine(text: string): string {
  return text.split(/\r?\n/).find((l) => l.trim() !== '')?.trim() ?? '';
}

/**
 * Run a program with an argument array (never a shell) and return its stdout, or a failure
 * saying plainly why: not installed, timed out, or the exit code with the program's own words.
 */
export function runCommand(file: string, args: readonly string[], options: RunOptions): Promise<RawSource<string>> {
  return new Promise((resolve) => {
    execFile(
      file,
      [...args],
      { timeout: options.timeoutMs, maxBuffer: options.maxBufferBytes, encoding: 'utf8', windowsHide: true },
      (err, stdout, stderr) => {
        if (err === null) {
          resolve({ ok: true, value: stdout });
          return;
        }
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: number | string };
        const keptStderr = stderr.slice(0, STDERR_KEEP_CHARS);
        if (e.code === 'ENOENT') {
          resolve({ ok: false, error: { exitCode: null, stderr: keptStderr, message: `${file} not found` } });
        } else if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          resolve({ ok: false, error: { exitCode: null, stderr: keptStderr, message: `output exceeded ${options.maxBufferBytes} bytes` } });
        } else if (e.killed === true || (e.signal !== null && e.signal !== undefined)) {
          const why = e.killed === true ? `timed out after ${options.timeoutMs} ms` : `killed by ${e.signal}`;
          resolve({ ok: false, error: { exitCode: null, stderr: keptStderr, message: why } });
        } else {
          const exitCode = typeof e.code === 'number' ? e.code : null;
          const said = firstLine(stderr) || firstLine(stdout) || 'no output';
          resolve({ ok: false, error: { exitCode, stderr: keptStderr, message: `exited with code ${exitCode ?? '?'}: ${said}` } });
        }
      },
    );
  });
}
