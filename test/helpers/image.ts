import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { z } from 'zod';
import { type ServerProcess, startServerProcess } from './serverProcess.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const buildah = ['buildah', '--storage-driver', 'vfs'] as const;

/** How the image was started: buildah's own runtime, or the chroot fallback when the machine refuses it. */
export type ImageRunner = 'buildah-run' | 'chroot';

/** A server running from the image, and how it was started. */
export interface ImageServer extends ServerProcess {
  runner: ImageRunner;
  /** Why buildah run could not be used, word for word (only with the chroot runner). */
  refusal: string | null;
  /** Stops the server and removes the working container. */
  remove(): Promise<void>;
}

/** Builds the image with image/build.sh (mmdebstrap base, buildah, the Dockerfile); resolves to its tag. */
export async function buildImage(tag: string): Promise<string> {
  const { stdout } = await run(join(root, 'image/build.sh'), [tag], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
    timeout: 40 * 60_000,
  });
  return stdout.trim();
}

const imageConfig = z.object({
  OCIv1: z.object({
    config: z.object({
      Cmd: z.array(z.string()).min(1),
      Env: z.array(z.string()).default([]),
      WorkingDir: z.string(),
      User: z.string(),
    }),
  }),
});

/**
 * Starts the image's own command (its CMD, working directory and user) with `env` added to the image's
 * environment, on the host's network and loopback. First with `buildah run --isolation chroot` (the
 * daemonless runtime, no cgroups or namespaces needed); if the machine refuses even that, the container's
 * root file system is run with plain `chroot`, and the refusal is returned for the record.
 * `forceRunner` picks one runner, so the fallback is tested too.
 */
export async function startImage(
  tag: string,
  env: Record<string, string>,
  forceRunner?: ImageRunner,
): Promise<ImageServer> {
  const { stdout } = await run(buildah[0], [...buildah.slice(1), 'inspect', '--type', 'image', tag]);
  const { Cmd, Env, WorkingDir, User } = imageConfig.parse(JSON.parse(stdout)).OCIv1.config;
  const name = `docbridge-test-${randomUUID().slice(0, 8)}`;
  await run(buildah[0], [...buildah.slice(1), 'from', '--name', name, tag]);
  const remove = async () => {
    await run(buildah[0], [...buildah.slice(1), 'rm', name]).catch(() => undefined);
  };
  const containerEnv = { PORT: '0', ...env };
  let refusal: string | null = null;
  try {
    if (forceRunner !== 'chroot') {
      try {
        const envFlags = Object.entries(containerEnv).flatMap(([key, value]) => ['--env', `${key}=${value}`]);
        const argv = [...buildah, 'run', '--isolation', 'chroot', ...envFlags, name, '--', ...Cmd] as const;
        const server = await startServerProcess({}, { argv: [...argv], processGroup: true });
        return withRemoval(server, 'buildah-run', null, remove);
      } catch (error) {
        if (forceRunner === 'buildah-run') throw error;
        refusal = error instanceof Error ? error.message : String(error);
      }
    }
    const { stdout: mountPoint } = await run(buildah[0], [...buildah.slice(1), 'mount', name]);
    const assignments = Object.entries(containerEnv).map(([key, value]) => `${key}=${value}`);
    const argv: [string, ...string[]] = [
      'chroot',
      `--userspec=${User || 'root'}`,
      mountPoint.trim(),
      '/usr/bin/env',
      '-C',
      WorkingDir,
      ...Env,
      ...assignments,
      ...Cmd,
    ];
    const server = await startServerProcess({}, { argv, processGroup: true });
    return withRemoval(server, 'chroot', refusal, remove);
  } catch (error) {
    await remove();
    throw error;
  }
}

function withRemoval(
  server: ServerProcess,
  runner: ImageRunner,
  refusal: string | null,
  remove: () => Promise<void>,
): ImageServer {
  return {
    ...server,
    runner,
    refusal,
    async remove() {
      await server.stop();
      await remove();
    },
  };
}

/**
 * Removes a built image and whatever untagged images it left (vfs keeps each as a full copy of the root
 * file system, so a machine that builds often would fill its disk); the cached base image stays.
 */
export async function removeImage(tag: string): Promise<void> {
  await run(buildah[0], [...buildah.slice(1), 'rmi', '--force', tag]).catch(() => undefined);
  await run(buildah[0], [...buildah.slice(1), 'rmi', '--prune']).catch(() => undefined);
}
