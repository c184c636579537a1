import Docker from 'dockerode';

/** Socket of the throwaway test engine (scripts/test-dockerd.sh); override with GPUWARDEN_DOCKER_SOCKET. */
export const TEST_DOCKER_SOCKET = process.env.GPUWARDEN_DOCKER_SOCKET ?? '/tmp/gw-docker.sock';

/** True when Docker tests must run and fail without an engine (CI, or GPUWARDEN_REQUIRE_DOCKER=1). */
export const DOCKER_REQUIRED = process.env.GPUWARDEN_REQUIRE_DOCKER === '1' || (process.env.CI ?? '') !== '';

/** Whether the test engine answers a ping. */
export async function engineAvailable(): Promise<boolean> {
  try {
    await new Docker({ socketPath: TEST_DOCKER_SOCKET, timeout: 2000 }).ping();
    return true;
  } catch {
    return false;
  }
}
