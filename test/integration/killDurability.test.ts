import { afterAll, describe, expect, it } from 'vitest';
import { connectClient, type TestClient } from '../helpers/clients.ts';
import { createTempDatabase, type TempDatabase } from '../helpers/postgres.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../helpers/tokens.ts';

const DOC = 'dept-a/durable';
const ROUNDS = 10;
const CLIENTS = 3;
/** A bound, not a target: ten rounds of start, type, kill and restart take under a minute on an idle machine. */
const ROUND_BOUND_MS = 15 * 60_000;

/**
 * A client that keeps typing markers and records which of them the server acknowledged. Each marker is one
 * update and one acknowledgement, and the server acknowledges a connection's updates in the order they came:
 * when the provider counts `number` updates still unacknowledged, every marker typed before those was reported
 * saved. (Typing every 3 ms, the count rarely drops to zero: commits are spaced under load.)
 */
function typist(client: TestClient, name: string) {
  const typed: string[] = [];
  let acknowledged = 0;
  client.provider.on('unsyncedChanges', ({ number }: { number: number }) => {
    acknowledged = Math.max(acknowledged, typed.length - number);
  });
  let timer: NodeJS.Timeout | undefined;
  return {
    start() {
      timer = setInterval(() => {
        const marker = `<${name}-${typed.length}>`;
        typed.push(marker);
        client.text.insert(client.text.length, marker);
      }, 3);
    },
    stop: () => clearInterval(timer),
    acknowledged: () => typed.slice(0, acknowledged),
  };
}

/** Every server started, so a failing round cannot leave processes behind. */
const started: ServerProcess[] = [];
const start = async (env: Record<string, string>) => {
  const server = await startServerProcess(env);
  started.push(server);
  return server;
};

async function killAndRestartRounds(env: Record<string, string>) {
  const token = await portalToken({ docs: { [DOC]: 'edit' } });
  const mustSurvive: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const server = await start(env);
    const clients = Array.from({ length: CLIENTS }, () => connectClient(server.wsUrl, DOC, token));
    await Promise.all(clients.map((c) => c.synced));
    const typists = clients.map((c, i) => typist(c, `r${round}c${i}`));
    for (const t of typists) t.start();
    // Let every client see some of its edits saved, then kill while they are still typing.
    // Generous: on a loaded machine a fresh server takes seconds before it acknowledges anything.
    const deadline = Date.now() + 120_000;
    while (typists.some((t) => t.acknowledged().length < 5) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, Math.random() * 100));
    await server.kill9();
    expect(() => process.kill(server.child.pid!, 0), 'the server process is gone').toThrow();
    for (const t of typists) t.stop();
    for (const t of typists) {
      expect(t.acknowledged().length).toBeGreaterThanOrEqual(5);
      mustSurvive.push(...t.acknowledged());
    }
    for (const c of clients) c.destroy();

    const restarted = await start(env);
    const reader = connectClient(restarted.wsUrl, DOC, token);
    await reader.synced;
    const text = reader.text.toString();
    const lost = mustSurvive.filter((marker) => !text.includes(marker));
    expect(lost, `round ${round}: acknowledged edits missing after kill -9`).toEqual([]);
    reader.destroy();
    await restarted.stop();
  }
  return mustSurvive.length;
}

describe('kill -9 loses no acknowledged edit', () => {
  const databases: TempDatabase[] = [];
  afterAll(async () => {
    for (const server of started) await server.kill9();
    for (const db of databases) await db.drop();
  });

  it(
    `SQLite: ${ROUNDS} rounds of typing, kill -9, restart`,
    async () => {
      const env = {
        DOCBRIDGE_DATA_DIR: tempDataDir(),
        DOCBRIDGE_JWT_SECRET: TEST_SECRET,
        DOCBRIDGE_COMPACT_AFTER: '50',
      };
      const survived = await killAndRestartRounds(env);
      expect(survived).toBeGreaterThanOrEqual(ROUNDS * CLIENTS * 5);
    },
    ROUND_BOUND_MS,
  );

  it(
    `PostgreSQL: ${ROUNDS} rounds of typing, kill -9, restart`,
    async () => {
      const db = await createTempDatabase();
      databases.push(db);
      const env = {
        DOCBRIDGE_DATA_DIR: tempDataDir(),
        DOCBRIDGE_JWT_SECRET: TEST_SECRET,
        DATABASE_URL: db.url,
        DOCBRIDGE_COMPACT_AFTER: '50',
      };
      const survived = await killAndRestartRounds(env);
      expect(survived).toBeGreaterThanOrEqual(ROUNDS * CLIENTS * 5);
    },
    ROUND_BOUND_MS,
  );
});
