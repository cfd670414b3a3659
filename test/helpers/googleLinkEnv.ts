import { connectClient, type TestClient } from './clients.ts';
import { createServiceAccount } from './googleCredentials.ts';
import { type GoogleDocJson, paragraphStart } from './googleDocs.ts';
import { type GoogleEmulatorProcess, startGoogleEmulatorProcess } from './googleEmulatorProcess.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from './serverProcess.ts';
import { portalToken, TEST_SECRET } from './tokens.ts';

export const SERVICE_ACCOUNT = 'docbridge-sync@dept-a-project.iam.gserviceaccount.com';

/**
 * A Docbridge server process and a Google emulator process, with a Google credential registered through
 * the admin API: what every Google sync test starts from.
 */
export async function startGoogleLinkEnv(
  serverEnv: Record<string, string> = {},
  emulatorArgs: string[] = [],
) {
  const emulator: GoogleEmulatorProcess = await startGoogleEmulatorProcess(emulatorArgs);
  const key = await createServiceAccount(emulator, SERVICE_ACCOUNT);
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
  const created = await api<{ id: string }>('/api/credentials', {
    provider: 'google',
    name: 'Policy unit',
    serviceAccountKey: key,
    endpoints: { docs: emulator.url, drive: emulator.url, token: emulator.tokenUrl },
  });
  if (created.status !== 201) throw new Error(`credential refused: ${JSON.stringify(created.body)}`);
  const credentialId = created.body.id;

  const googleDoc = (id: string) => emulator.control<GoogleDocJson>(`/control/documents/${id}`);

  return {
    emulator,
    key,
    dataDir,
    credentialId,
    api,
    get server() {
      return server;
    },
    googleDoc,
    /** A new Google Doc, shared with the service account, holding these paragraphs. */
    async newGoogleDoc(paragraphs: string[], extraRequests: unknown[] = []): Promise<string> {
      const { documentId } = await emulator.control<{ documentId: string }>('/control/documents', {
        title: 'Linked',
        owner: SERVICE_ACCOUNT,
        requests: [{ insertText: { location: { index: 1 }, text: paragraphs.join('\n') } }, ...extraRequests],
      });
      return documentId;
    },
    /** A Google user's edit, as request list applied at the latest revision. */
    googleEdit: (id: string, requests: unknown[]) =>
      emulator.control(`/control/documents/${id}/edit`, { requests }),
    async googleInsert(id: string, paragraph: number, text: string) {
      const doc = await googleDoc(id);
      await emulator.control(`/control/documents/${id}/edit`, {
        requests: [{ insertText: { location: { index: paragraphStart(doc, paragraph) }, text } }],
      });
    },
    async batchUpdates(): Promise<number> {
      return (
        (await emulator.control<{ calls: Record<string, number> }>('/control/stats')).calls[
          'documents.batchUpdate'
        ] ?? 0
      );
    },
    /** Links `doc` to the Google Doc through the admin API. */
    link: (doc: string, googleId: string, initial?: string) =>
      api('/api/links', {
        doc,
        credential: credentialId,
        url: `https://docs.google.com/document/d/${googleId}/edit`,
        ...(initial ? { initial } : {}),
      }),
    /** A web client (HocuspocusProvider) on `doc`, synced. */
    async client(doc: string): Promise<TestClient> {
      const client = connectClient(server.wsUrl, doc, await portalToken({ docs: { 'dept-a/*': 'edit' } }));
      clients.push(client);
      await client.synced;
      return client;
    },
    /** kill -9 and start again on the same data. */
    async restartServer(kill9 = true): Promise<void> {
      if (kill9) await server.kill9();
      else await server.stop();
      server = await startServerProcess(env);
    },
    async close(): Promise<void> {
      for (const client of clients) client.destroy();
      await server.stop();
      await emulator.stop();
    },
  };
}

export type GoogleLinkEnv = Awaited<ReturnType<typeof startGoogleLinkEnv>>;
