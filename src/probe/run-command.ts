import { spawn } from 'node:child_process';
import type { RawSource } from './raw-capture.ts';

/** Limits for one external command. */
export interface RunOptions {
  timeoutMs: number;
  maxBufferBytes: number;
}

/** Runs programs and remembers which of its children are still alive, even after it gave up on them. */
export interface CommandRunner {
  /** Run a program (argument array, never a shell); settles at exit, or at once when the timeout or buffer limit hits. */
  run(file: string, args: readonly string[], options: RunOptions): Promise<RawSource<string>>;
  /** Pids of children started by this runner that have not exited yet. */
  alive(): number[];
  /** Wait up to `ms` for every child to have exited (a child SIGKILLed a moment ago takes a few ms); true when none is left. */
  idle(ms: number): Promise<boolean>;
}

/** How a runner ends a child's process group; injectable so a test can play an unkillable (driver-wedged) process. */
export interface CommandRunnerDeps {
  kill?: (pid: number, signal: NodeJS.Signals) => void;
}

const STDERR_KEEP_CHARS = 4000;

function firstLine(text: string): string {
  return text.split(/\r?\n/).find((l) => l.trim() !== '')?.trim() ?? '';
}

/** SIGKILL the child's whole process group (it was started as a group leader), or the child alone if that fails. */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

function failure(message: string, stderr: string, exitCode: number | null = null): RawSource<string> {
  return { ok: false, error: { exitCode, stderr: stderr.slice(0, STDERR_KEEP_CHARS), message } };
}

/**
 * Create a runner. A child is started in its own process group, so a timeout SIGKILLs it and anything it started
 * (SIGTERM is not tried: a wedged nvidia-smi ignores it); the promise settles at the timeout without waiting for exit.
 */
export function createCommandRunner(deps: CommandRunnerDeps = {}): CommandRunner {
  const kill = deps.kill ?? killGroup;
  const live = new Set<number>();
  const waiters = new Set<() => void>();

  function idle(ms: number): Promise<boolean> {
    if (live.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        waiters.delete(onExit);
        resolve(live.size === 0);
      };
      const onExit = (): void => {
        if (live.size === 0) finish();
      };
      const timer = setTimeout(finish, ms);
      waiters.add(onExit);
    });
  }

  function run(file: string, args: readonly string[], options: RunOptions): Promise<RawSource<string>> {
    return new Promise((resolve) => {
      let settled = false;
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let bytes = 0;
      const text = (chunks: Buffer[]): string => Buffer.concat(chunks).toString('utf8');
      const child = spawn(file, [...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
      const pid = child.pid;
      if (pid !== undefined) live.add(pid);

      /** Settle now; with `abandon`, kill the group and stop listening (the exit is still awaited to reap and untrack). */
      const settle = (result: RawSource<string>, abandon: boolean): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (abandon) {
          if (pid !== undefined) kill(pid, 'SIGKILL');
          child.stdout.destroy();
          child.stderr.destroy();
          child.unref();
        }
        resolve(result);
      };
      const timer = setTimeout(() => settle(failure(`timed out after ${options.timeoutMs} ms`, text(stderr)), true), options.timeoutMs);

      const collect = (into: Buffer[]) => (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > options.maxBufferBytes) settle(failure(`output exceeded ${options.maxBufferBytes} bytes`, text(stderr)), true);
        else into.push(chunk);
      };
      child.stdout.on('data', collect(stdout));
      child.stderr.on('data', collect(stderr));
      child.on('exit', () => {
        if (pid !== undefined) live.delete(pid);
        for (const waiter of [...waiters]) waiter();
      });
      child.on('error', (err: NodeJS.ErrnoException) => {
        settle(failure(err.code === 'ENOENT' ? `${file} not found` : `cannot run ${file}: ${err.message}`, text(stderr)), false);
      });
      child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
        const out = text(stdout);
        const err = text(stderr);
        if (code === 0) settle({ ok: true, value: out }, false);
        else if (signal !== null) settle(failure(`killed by ${signal}`, err), false);
        else settle(failure(`exited with code ${code ?? '?'}: ${firstLine(err) || firstLine(out) || 'no output'}`, err, code), false);
      });
    });
  }

  return { run, alive: () => [...live], idle };
}
