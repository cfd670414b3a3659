import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { connectClient, type TestClient, waitFor } from '../helpers/clients.ts';
import { createTempDatabase, type TempDatabase } from '../helpers/postgres.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../helpers/tokens.ts';

const REDIS_URL = process.env.DOCBRIDGE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('two instances sharing PostgreSQL and Redis', () => {
  const servers: ServerProcess[] = [];
  const clients: TestClient[] = [];
  let db: TempDatabase;

  afterAll(async () => {
    for (const client of clients) client.destroy();
    for (const server of servers) await server.stop();
    await db?.drop();
  });

  it('clients on different instances converge, and either instance serves the stored result', async () => {
    db = await createTempDatabase();
    const env = { DATABASE_URL: db.url, REDIS_URL, DOCBRIDGE_JWT_SECRET: TEST_SECRET };
    const [one, two] = await Promise.all([
      startServerProcess({ ...env, DOCBRIDGE_DATA_DIR: tempDataDir() }),
      startServerProcess({ ...env, DOCBRIDGE_DATA_DIR: tempDataDir() }),
    ]);
    servers.push(one!, two!);
    const doc = `dept-a/shared-${randomUUID().slice(0, 8)}`;
    const token = await portalToken({ docs: { [doc]: 'edit' } });
    const onOne = [connectClient(one!.wsUrl, doc, token), connectClient(one!.wsUrl, doc, token)];
    const onTwo = [connectClient(two!.wsUrl, doc, token), connectClient(two!.wsUrl, doc, token)];
    clients.push(...onOne, ...onTwo);
    await Promise.all(clients.map((c) => c.synced));

    clients.forEach((client, i) => {
      for (let n = 0; n < 20; n++) client.text.insert(client.text.length, `[${i}:${n}]`);
    });
    const expected = clients.flatMap((_, i) => Array.from({ length: 20 }, (_, n) => `[${i}:${n}]`));
    await waitFor(
      () => clients.every((c) => expected.every((marker) => c.text.toString().includes(marker))),
      'every marker on every client of both instances',
      20_000,
    );
    expect(new Set(clients.map((c) => c.text.toString())).size).toBe(1);
    await Promise.all(clients.map((c) => c.saved()));

    // Each instance, reading on its own, serves the full converged text.
    for (const server of [one!, two!]) {
      const reader = connectClient(server.wsUrl, doc, token);
      clients.push(reader);
      await reader.synced;
      await waitFor(
        () => reader.text.toString() === clients[0]!.text.toString(),
        `a reader on port ${server.port}`,
      );
    }
  });
});
