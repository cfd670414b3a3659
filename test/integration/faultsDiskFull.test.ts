/**
 * Faults lose nothing (issue 14, item 8): the disk under SQLite fills up under load. The data directory is
 * on a small tmpfs of this test; a filler file takes the remaining space, then is removed.
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type TestClient, waitFor } from '../helpers/clients.ts';
import { mountTmpfs } from '../helpers/faultServices.ts';
import { type ServerProcess, startServerProcess } from '../helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../helpers/tokens.ts';
import { expectEveryMarkerStored, startWriter } from './faultLoad.ts';

let disk: Awaited<ReturnType<typeof mountTmpfs>>;
let server: ServerProcess;
let env: Record<string, string>;
const clients: TestClient[] = [];

beforeAll(async () => {
  disk = await mountTmpfs(16 * 1024 * 1024);
  if (!disk) return;
  env = { DOCBRIDGE_DATA_DIR: join(disk.dir, 'data'), DOCBRIDGE_JWT_SECRET: TEST_SECRET };
  server = await startServerProcess(env);
});
afterAll(async () => {
  try {
    for (const client of clients) client.destroy();
    await server?.stop();
  } finally {
    await disk?.unmount();
  }
});

/** Writes zeros into `path` until the file system refuses (ENOSPC); returns the bytes written. */
function fillDisk(path: string): number {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return written;
}

// Mounting a tmpfs needs root; where it is refused the test says so instead of passing silently.
describe.runIf(process.getuid?.() === 0)('SQLite on a full disk', () => {
  it('holds acknowledgements while the disk is full ("saving"), then saves everything once space returns', async () => {
    expect(disk, 'mount -t tmpfs was refused').not.toBeNull();
    const token = await portalToken({ docs: { 'dept-a/*': 'edit' } });
    const client = connectClient(server.wsUrl, 'dept-a/fault-disk', token);
    clients.push(client);
    await client.synced;
    const writer = startWriter(client, 'disk');
    await waitFor(() => writer.acknowledged() >= 10, 'edits acknowledged before the fault', 30_000);

    const filler = join(disk!.dir, 'filler');
    expect(fillDisk(filler)).toBeGreaterThan(0);
    const ackedWhenFull = writer.acknowledged();
    await waitFor(() => client.provider.hasUnsyncedChanges, 'the client to show unsaved edits', 15_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Still connected and still answering; nothing more was acknowledged as saved.
    expect(client.provider.hasUnsyncedChanges).toBe(true);
    expect(writer.acknowledged()).toBeLessThanOrEqual(ackedWhenFull + 2);
    expect([200, 503]).toContain((await fetch(`${server.url}/healthz`)).status);

    rmSync(filler);
    await waitFor(
      () => writer.acknowledged() > ackedWhenFull + 10,
      'saving again once space returns',
      60_000,
    );
    const written = await writer.stop();
    await waitFor(() => !client.provider.hasUnsyncedChanges, 'every edit acknowledged', 60_000);

    // Nothing acknowledged is lost: kill -9 and read the document back from storage.
    server = await expectEveryMarkerStored(server, env, 'dept-a/fault-disk', token, written);
  });
});
