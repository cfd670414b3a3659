import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, type ImageRunner, type ImageServer, removeImage, startImage } from '../helpers/image.ts';
import { TEST_MASTER_KEY } from '../helpers/serverProcess.ts';
import { checkHealthAndOneEdit } from '../helpers/smokeCheck.ts';
import { TEST_SECRET } from '../helpers/tokens.ts';

/**
 * The container image, built the way CI builds it (image/build.sh: a Debian root file system from mmdebstrap,
 * Node from the npm registry, buildah with the vfs driver, the user-facing Dockerfile) and run with JWT
 * settings. Minutes of work, so only with DOCBRIDGE_TEST_IMAGE=1, which .ci/run sets.
 */
const enabled = process.env.DOCBRIDGE_TEST_IMAGE === '1';
const TAG = process.env.DOCBRIDGE_TEST_IMAGE_TAG ?? 'localhost/docbridge:test';
const running: ImageServer[] = [];

describe.skipIf(!enabled)(
  'the container image (skipped unless DOCBRIDGE_TEST_IMAGE=1, as .ci/run sets)',
  () => {
    beforeAll(async () => {
      await buildImage(TAG);
    }, 45 * 60_000);
    afterAll(async () => {
      for (const server of running) await server.remove();
      await removeImage(TAG);
    }, 10 * 60_000);

    async function start(runner?: ImageRunner): Promise<ImageServer> {
      const server = await startImage(
        TAG,
        {
          DOCBRIDGE_JWT_SECRET: TEST_SECRET,
          DOCBRIDGE_MASTER_KEY: TEST_MASTER_KEY,
          HOST: '127.0.0.1',
          LOG_LEVEL: 'info',
        },
        runner,
      );
      running.push(server);
      if (server.refusal) {
        process.stderr.write(
          `image: buildah run refused, ran the root file system with chroot:\n${server.refusal}\n`,
        );
      }
      return server;
    }

    it('starts with JWT settings, reports healthy and takes an edit over y-websocket', async () => {
      const server = await start();
      await checkHealthAndOneEdit(server);
      // It runs the compiled server as the image's unprivileged user, with the image's data directory.
      expect(server.output()).toContain('"storage":"sqlite"');
    });

    it('runs the same way from its root file system with plain chroot (the fallback runner)', async () => {
      const server = await start('chroot');
      expect(server.runner).toBe('chroot');
      await checkHealthAndOneEdit(server);
    });
  },
);
