/**
 * Faults lose nothing (issue 14, item 8): two instances joined through Redis; Redis restarts under load, and
 * one instance is cut off from Redis by a TCP proxy the test controls. Redis is a private redis-server of
 * this test (the machine's shared one is never touched); documents live in a temporary database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type TestClient, waitFor } from '../helpers/clients.ts';
import { type CuttableProxy, type OwnRedis, startOwnRedis, startProxy } from '../helpers/faultServices.ts';
import { createTempDatabase, type TempDatabase } from '../helpers/postgres.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../helpers/tokens.ts';
import { startWriter } from './faultLoad.ts';

let redis: OwnRedis;
let proxy: CuttableProxy;
let db: TempDatabase;
const servers: ServerProcess[] = [];
const clients: TestClient[] = [];

beforeAll(async () => {
  [redis, db] = await Promise.all([startOwnRedis(), createTempDatabase()]);
  proxy = await startProxy(redis.port);
  const env = { DATABASE_URL: db.url, DOCBRIDGE_JWT_SECRET: TEST_SECRET };
  servers.push(
    ...(await Promise.all([
      startServerProcess({ ...env, REDIS_URL: redis.url, DOCBRIDGE_DATA_DIR: tempDataDir() }),
      startServerProcess({ ...env, REDIS_URL: proxy.url('redis'), DOCBRIDGE_DATA_DIR: tempDataDir() }),
    ])),
  );
});
afterAll(async () => {
  try {
    for (const client of clients) client.destroy();
    for (const server of servers) await server.stop();
  } finally {
    await proxy?.close();
    await redis?.stop();
    await db?.drop();
  }
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Redis faults under load', () => {
  it('an instance cut off from Redis, then a Redis restart: every edit saved, both sides converge by themselves', async () => {
    const doc = 'dept-a/fault-redis';
    const token = await portalToken({ docs: { 'dept-a/*': 'edit' } });
    const [a, b] = [
      connectClient(servers[0]!.wsUrl, doc, token),
      connectClient(servers[1]!.wsUrl, doc, token),
    ];
    clients.push(a, b);
    await Promise.all([a.synced, b.synced]);
    const writers = [startWriter(a, 'a', 100), startWriter(b, 'b', 100)];
    await waitFor(
      () => writers.every((w) => w.acknowledged() >= 5),
      'edits acknowledged on both sides',
      30_000,
    );

    // Instance two loses Redis: its own clients are still saved (storage does not need Redis).
    proxy.cut();
    const ackedAtCut = writers[1]!.acknowledged();
    await waitFor(
      () => writers[1]!.acknowledged() > ackedAtCut + 5,
      'instance two saving while cut off',
      30_000,
    );
    await pause(1000);
    proxy.restore();

    // Redis itself goes away and comes back (empty: it keeps no state of ours).
    await redis.stop();
    await pause(1500);
    await redis.start();
    await pause(1500);

    const written = (await Promise.all(writers.map((w) => w.stop()))).flat();
    await waitFor(
      () => [a, b].every((c) => written.every((marker) => c.text.toString().includes(marker))),
      'every marker on both instances',
      60_000,
    );
    await waitFor(() => a.text.toString() === b.text.toString(), 'both sides identical', 30_000);
    await Promise.all([a.saved(), b.saved()]);
    expect(a.text.toString()).toBe(b.text.toString());
  });
});
