import { connectClient, type TestClient } from './clients.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from './serverProcess.ts';
import { portalToken, TEST_SECRET } from './tokens.ts';

/**
 * A Docbridge server process on a fresh data directory with what link tests do to it: admin API calls as
 * `admin-1` of `dept-a`, web clients, a kill -9 restart on the same data, and one `close` for all of it
 * (`stopAlso` runs after the server stops: the emulators). Shared by the Google and Microsoft link
 * environments.
 */
export async function startAdminServer(serverEnv: Record<string, string>, stopAlso: () => Promise<void>) {
  const dataDir = tempDataDir();
  const env = { DOCBRIDGE_DATA_DIR: dataDir, DOCBRIDGE_JWT_SECRET: TEST_SECRET, ...serverEnv };
  let server: ServerProcess = await startServerProcess(env);
  const adminToken = await portalToken({ sub: 'admin-1', admin: true, docs: { 'dept-a/*': 'edit' } });
  const clients: TestClient[] = [];
  const api = async <T = Record<string, unknown>>(path: string, body?: unknown, method?: string) => {
    const res = await fetch(`${server.url}${path}`, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  return {
    dataDir,
    api,
    get server() {
      return server;
    },
    /** A web client (HocuspocusProvider) on `doc`, synced. */
    async client(doc: string): Promise<TestClient> {
      const client = connectClient(server.wsUrl, doc, await portalToken({ docs: { 'dept-a/*': 'edit' } }));
      clients.push(client);
      await client.synced;
      return client;
    },
    /** kill -9 (or SIGTERM) and start again on the same data. */
    async restartServer(kill9 = true): Promise<void> {
      if (kill9) await server.kill9();
      else await server.stop();
      server = await startServerProcess(env);
    },
    async close(): Promise<void> {
      for (const client of clients) client.destroy();
      await server.stop();
      await stopAlso();
    },
  };
}
