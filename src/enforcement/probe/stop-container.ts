// Stop (and optionally remove) a container through dockerode, loaded only when an action is really carried out
// (the probe's start-up is benchmarked), then confirm the result by inspecting it again.
import { inspectContainer } from './recheck.ts';

/** What became of a stop: done (confirmed) or failed, with one line for people. */
export interface ActOutcome {
  outcome: 'done' | 'failed';
  detail: string;
}

/** "stopped (SIGTERM, 60 s grace) and removed": how a stop is described, done or planned. */
export function stopWords(graceS: number, remove: boolean): string {
  return `(SIGTERM, ${graceS} s grace)${remove ? ' and removed' : ''}`;
}

function statusOf(err: unknown): number | null {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : null;
}

/** Stop the container (`docker stop -t graceS`), remove it when asked, and confirm it is gone or no longer running. */
export async function stopContainer(socketPath: string, containerId: string, name: string, graceS: number, remove: boolean): Promise<ActOutcome> {
  const { default: Docker } = await import('dockerode');
  const container = new Docker({ socketPath }).getContainer(containerId);
  // 304: it was not running (exited, or created and never started): nothing to stop, say so.
  let wasRunning = true;
  try {
    await container.stop({ t: graceS });
  } catch (err) {
    if (statusOf(err) !== 304) return { outcome: 'failed', detail: `could not stop container ${name}: ${(err as Error).message}` };
    wasRunning = false;
  }
  if (remove) {
    try {
      await container.remove();
    } catch (err) {
      if (statusOf(err) !== 404) return { outcome: 'failed', detail: `stopped container ${name} but could not remove it: ${(err as Error).message}` };
    }
  }
  const after = await inspectContainer(socketPath, containerId);
  if (remove && after !== null) return { outcome: 'failed', detail: `container ${name} still exists after stop and remove (${after.state})` };
  if (after !== null && after.state === 'running') return { outcome: 'failed', detail: `container ${name} is still running after stop` };
  if (!wasRunning) return { outcome: 'done', detail: remove ? 'removed (it was not running)' : 'it was already stopped' };
  return { outcome: 'done', detail: `stopped ${stopWords(graceS, remove)}` };
}
