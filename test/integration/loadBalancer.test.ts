import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type TestClient, waitFor } from '../helpers/clients.ts';
import { type Haproxy, startHaproxy } from '../helpers/haproxy.ts';
import { createTempDatabase, type TempDatabase } from '../helpers/postgres.ts';
import {
  openConnections,
  type ServerProcess,
  startServerProcess,
  tempDataDir,
} from '../helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../helpers/tokens.ts';
import { startTypingClient, type TypingClient } from '../helpers/typingClients.ts';

const REDIS_URL = process.env.DOCBRIDGE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** compose.yaml's topology without containers: two real server processes, PostgreSQL, Redis, HAProxy. */
let db: TempDatabase;
let servers: ServerProcess[] = [];
let balancer: Haproxy;
const clients: TestClient[] = [];
const typists: TypingClient[] = [];

beforeAll(async () => {
  db = await createTempDatabase();
  const env = { DATABASE_URL: db.url, REDIS_URL, DOCBRIDGE_JWT_SECRET: TEST_SECRET, HOST: '127.0.0.1' };
  servers = await Promise.all(
    [1, 2].map(() => startServerProcess({ ...env, DOCBRIDGE_DATA_DIR: tempDataDir() })),
  );
  balancer = await startHaproxy(servers.map((server) => server.port));
});

afterAll(async () => {
  for (const typist of typists) typist.stopTyping();
  for (const client of [...clients, ...typists.map((t) => t.client)]) client.destroy();
  await balancer?.stop();
  for (const server of servers) await server.stop();
  await db?.drop();
});

describe('two instances behind HAProxy (compose.yaml without containers)', () => {
  it('clients through the balancer land on both instances and converge on one document', async () => {
    const doc = `dept-a/balanced-${randomUUID().slice(0, 8)}`;
    const token = await portalToken({ docs: { [doc]: 'edit' } });
    const mine = Array.from({ length: 6 }, () => connectClient(balancer.wsUrl, doc, token));
    clients.push(...mine);
    await Promise.all(mine.map((c) => c.synced));
    const perInstance = await Promise.all(servers.map(openConnections));
    expect(perInstance.every((count) => count > 0)).toBe(true);

    mine.forEach((client, i) => {
      for (let n = 0; n < 10; n++) client.text.insert(client.text.length, `[${i}:${n}]`);
    });
    const expected = mine.flatMap((_, i) => Array.from({ length: 10 }, (_, n) => `[${i}:${n}]`));
    await waitFor(
      () => mine.every((c) => expected.every((marker) => c.text.toString().includes(marker))),
      'every marker on every client, whichever instance serves it',
      30_000,
    );
    expect(new Set(mine.map((c) => c.text.toString())).size).toBe(1);
    // Closed now, while connected: the next test kills an instance under them.
    for (const client of mine) client.destroy();
    clients.length = 0;
  });

  it('kill -9 of one instance under load: clients reconnect through the balancer, nothing acknowledged is lost', async () => {
    const doc = `dept-a/failover-${randomUUID().slice(0, 8)}`;
    const token = await portalToken({ docs: { [doc]: 'edit' } });
    const mine = Array.from({ length: 6 }, (_, i) =>
      startTypingClient(balancer.wsUrl, doc, token, `c${i}`, 50),
    );
    typists.push(...mine);
    await Promise.all(mine.map((t) => t.client.synced));
    await waitFor(
      () => mine.every((t) => t.acknowledged().length >= 5),
      'acknowledged edits from every client',
      30_000,
    );

    // Kill the instance holding the most of these sockets (both hold some: leastconn).
    const counts = await Promise.all(servers.map(openConnections));
    const victim = servers[counts[0]! >= counts[1]! ? 0 : 1]!;
    const survivor = servers.find((server) => server !== victim)!;
    const ackedBeforeKill = mine.map((t) => t.acknowledged().length);
    await victim.kill9();

    // Typing goes on; every client must get new acknowledgements, which only a live instance can give.
    await waitFor(
      () => mine.every((t, i) => t.acknowledged().length > ackedBeforeKill[i]! + 5),
      'every client to reconnect through the balancer and be acknowledged again',
      60_000,
    );
    for (const typist of mine) typist.stopTyping();
    await Promise.all(mine.map((t) => t.client.saved()));

    const reader = connectClient(balancer.wsUrl, doc, token);
    clients.push(reader);
    await reader.synced;
    const acknowledged = mine.flatMap((t) => t.acknowledged());
    await waitFor(
      () => acknowledged.every((marker) => reader.text.toString().includes(marker)),
      'every acknowledged marker in the document served after the kill',
      30_000,
    );
    expect(await openConnections(survivor)).toBeGreaterThan(0);
    // And the clients converge with it: everything each one typed, acknowledged or not, is there.
    const everything = mine.flatMap((t) => t.typed);
    await waitFor(
      () =>
        [reader, ...mine.map((t) => t.client)].every((c) =>
          everything.every((m) => c.text.toString().includes(m)),
        ),
      'every typed marker on every client',
      30_000,
    );
  });
});
