/**
 * Faults lose nothing (issue 14, item 8): the PostgreSQL server goes away under load and comes back. The
 * database is a private cluster of this test (never the machine's shared one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type TestClient, waitFor } from '../helpers/clients.ts';
import { type OwnPostgres, startOwnPostgres } from '../helpers/faultServices.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../helpers/tokens.ts';
import { expectEveryMarkerStored, startWriter } from './faultLoad.ts';

let postgres: OwnPostgres;
let server: ServerProcess;
const clients: TestClient[] = [];
let env: Record<string, string>;

beforeAll(async () => {
  postgres = await startOwnPostgres();
  env = { DOCBRIDGE_DATA_DIR: tempDataDir(), DOCBRIDGE_JWT_SECRET: TEST_SECRET, DATABASE_URL: postgres.url };
  server = await startServerProcess(env);
});
afterAll(async () => {
  try {
    for (const client of clients) client.destroy();
    await server?.stop();
  } finally {
    // The cluster is a daemon of its own: it must go even when stopping the server failed.
    await postgres?.remove();
  }
});

describe('PostgreSQL restarts under load', () => {
  it('holds acknowledgements while the database is down ("saving"), then saves everything by itself', async () => {
    const token = await portalToken({ docs: { 'dept-a/*': 'edit' } });
    const client = connectClient(server.wsUrl, 'dept-a/fault-postgres', token);
    clients.push(client);
    await client.synced;
    const writer = startWriter(client, 'pg');
    await waitFor(() => writer.acknowledged() >= 10, 'edits acknowledged before the fault', 30_000);

    await postgres.stop();
    // Edits keep coming; none can be acknowledged while nothing can be written.
    const ackedAtCut = writer.acknowledged();
    await waitFor(() => client.provider.hasUnsyncedChanges, 'the client to show unsaved edits', 15_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(client.provider.hasUnsyncedChanges).toBe(true);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(503);
    await postgres.start();

    await waitFor(() => writer.acknowledged() > ackedAtCut + 10, 'saving again after the restart', 60_000);
    const written = await writer.stop();
    await waitFor(() => !client.provider.hasUnsyncedChanges, 'every edit acknowledged', 60_000);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    // Nothing acknowledged is lost: kill -9 and read the document back from storage.
    server = await expectEveryMarkerStored(server, env, 'dept-a/fault-postgres', token, written);
  });
});
