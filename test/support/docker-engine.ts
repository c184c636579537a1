import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
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

/** Make sure the tiny busybox image the Docker tests run (`gwtest-busybox:latest`, no registry) exists on the engine. */
export async function ensureBusyboxImage(docker: Docker, image = 'gwtest-busybox:latest'): Promise<void> {
  const images = await docker.listImages({ filters: { reference: [image] } });
  if (images.length > 0) return;
  const root = await mkdtemp(join(tmpdir(), 'gw-rootfs-'));
  await mkdir(join(root, 'bin'));
  await copyFile('/bin/busybox', join(root, 'bin/busybox'));
  for (const tool of ['sh', 'sleep']) await symlink('busybox', join(root, 'bin', tool));
  const tar = `${root}.tar`;
  await promisify(execFile)('tar', ['-C', root, '-cf', tar, '.']);
  const [repo = image, tag = 'latest'] = image.split(':');
  const stream = await docker.importImage(tar, { repo, tag });
  await new Promise((resolve, reject) => docker.modem.followProgress(stream, (err) => (err ? reject(err) : resolve(null))));
  await rm(root, { recursive: true, force: true });
  await rm(tar, { force: true });
}
