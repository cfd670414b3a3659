import { afterAll, describe, expect, it } from 'vitest';
import { connectClient, type TestClient, waitFor } from '../helpers/clients.ts';
import { createServiceAccount } from '../helpers/googleCredentials.ts';
import { googleParagraphs, liveParagraphs, liveText, paragraphStart } from '../helpers/googleDocs.ts';
import { type GoogleEmulatorProcess, startGoogleEmulatorProcess } from '../helpers/googleEmulatorProcess.ts';
import { createTempDatabase, type TempDatabase } from '../helpers/postgres.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../helpers/tokens.ts';

const REDIS_URL = process.env.DOCBRIDGE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SA = 'multi@dept-a-project.iam.gserviceaccount.com';
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

describe('a linked document edited through two instances', () => {
  it('reaches Google from a client of the instance that does not run the link, and back', async () => {
    const db: TempDatabase = await createTempDatabase();
    cleanup.push(() => db.drop());
    const emulator: GoogleEmulatorProcess = await startGoogleEmulatorProcess();
    cleanup.push(() => emulator.stop());
    const key = await createServiceAccount(emulator, SA);
    // A shared master key: a credential sealed on one instance must open on the other.
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL,
      DOCBRIDGE_JWT_SECRET: TEST_SECRET,
      DOCBRIDGE_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
      // Instance one soon stops polling (nobody has the document open there), so it cannot catch the edit
      // through Redis: only the flag instance two leaves in the database can tell it.
      DOCBRIDGE_ACTIVE_WINDOW_MS: '1000',
    };
    const servers: ServerProcess[] = [];
    for (let i = 0; i < 2; i++) {
      const server = await startServerProcess({ ...env, DOCBRIDGE_DATA_DIR: tempDataDir() });
      servers.push(server);
      cleanup.push(() => server.stop());
    }
    const [one, two] = servers as [ServerProcess, ServerProcess];
    const admin = await portalToken({ sub: 'admin', admin: true, docs: { 'dept-a/*': 'edit' } });
    const post = async (server: ServerProcess, path: string, body: unknown) => {
      const res = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, string> };
    };
    const credential = await post(one, '/api/credentials', {
      provider: 'google',
      name: 'shared',
      serviceAccountKey: key,
      endpoints: { docs: emulator.url, drive: emulator.url, token: emulator.tokenUrl },
    });
    const { documentId } = await emulator.control<{ documentId: string }>('/control/documents', {
      title: 'Shared',
      owner: SA,
      requests: [{ insertText: { location: { index: 1 }, text: 'across instances' } }],
    });
    // The link is created, and so run, on instance one.
    const link = await post(one, '/api/links', {
      doc: 'dept-a/multi',
      credential: credential.body.id,
      url: `https://docs.google.com/document/d/${documentId}/edit`,
    });
    expect(link.status).toBe(201);

    const client: TestClient = connectClient(
      two.wsUrl,
      'dept-a/multi',
      await portalToken({ docs: { 'dept-a/*': 'edit' } }),
    );
    cleanup.push(async () => client.destroy());
    await client.synced;
    await waitFor(
      () => liveParagraphs(client.doc)[0] === 'across instances',
      'the Google content on instance two',
      20_000,
    );

    await new Promise((r) => setTimeout(r, 4000));
    liveText(client.doc, 0).insert(0, '[two] ');
    const googleText = async () =>
      googleParagraphs(await emulator.control(`/control/documents/${documentId}`))[0];
    const deadline = Date.now() + 20_000;
    while ((await googleText()) !== '[two] across instances' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(await googleText()).toBe('[two] across instances');

    const doc = await emulator.control<never>(`/control/documents/${documentId}`);
    await emulator.control(`/control/documents/${documentId}/edit`, {
      requests: [{ insertText: { location: { index: paragraphStart(doc, 0) }, text: '[google] ' } }],
    });
    await waitFor(
      () => liveParagraphs(client.doc)[0] === '[google] [two] across instances',
      'the Google edit on instance two',
      20_000,
    );
  });
});
