import { afterAll, describe, expect, it } from 'vitest';
import { type GoogleEmulatorProcess, startGoogleEmulatorProcess } from '../helpers/googleEmulatorProcess.ts';
import { leaseOwner, linkOnInstance } from '../helpers/linkTakeover.ts';
import { createTempDatabase } from '../helpers/postgres.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { TEST_SECRET } from '../helpers/tokens.ts';

const REDIS_URL = process.env.DOCBRIDGE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

describe('a link whose instance dies with kill -9', () => {
  it('is taken over by another instance, and nothing crossing it is lost', async () => {
    const db = await createTempDatabase();
    cleanup.push(() => db.drop());
    const emulator: GoogleEmulatorProcess = await startGoogleEmulatorProcess();
    cleanup.push(() => emulator.stop());
    const servers: ServerProcess[] = [];
    for (let i = 0; i < 2; i++) {
      const server = await startServerProcess({
        DATABASE_URL: db.url,
        REDIS_URL,
        DOCBRIDGE_JWT_SECRET: TEST_SECRET,
        DOCBRIDGE_DATA_DIR: tempDataDir(),
      });
      servers.push(server);
      cleanup.push(() => server.stop());
    }
    const [runner, survivor] = servers as [ServerProcess, ServerProcess];
    // The link is created, and so run, on `runner`; the web clients edit through the survivor.
    const linked = await linkOnInstance({
      runner,
      emulator,
      databaseUrl: db.url,
      clientWsUrl: survivor.wsUrl,
      clients: 2,
    });
    cleanup.push(() => linked.destroy());

    // The lease is 15 s: the bound leaves room for it, a scan, and a slow machine.
    const figures = await linked.killAndMeasure(() => runner.kill9(), 120_000);
    console.log(`link takeover after kill -9: ${JSON.stringify(figures)}`);

    const holder = await leaseOwner(db.url, linked.linkId);
    expect(holder).not.toBeNull();
    expect(holder).not.toBe(linked.owner);
    expect(figures.webEditsLost).toBe(0);
    expect(figures.remoteEditsLost).toBe(0);
  });
});
