import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { GoogleConnector } from '../../connectors/google/googleConnector.ts';
import { HttpDocsTransport } from '../../connectors/google/httpDocsTransport.ts';
import { RateLimiter } from '../../connectors/sync/rateLimiter.ts';
import { type GoogleEmulator, startGoogleEmulator } from '../emulators/google/server.ts';
import { createServiceAccount } from '../helpers/googleCredentials.ts';
import { type GoogleDocJson, googleParagraphs, paragraphStart } from '../helpers/googleDocs.ts';
import { describeConnectorConformance } from './conformance.ts';

let emulator: GoogleEmulator;

async function control<T>(path: string, body?: unknown, method?: string): Promise<T> {
  const res = await fetch(`${emulator.url}${path}`, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

beforeAll(async () => {
  emulator = await startGoogleEmulator();
  // The change feed shows edits at once here; its lag is the subject of test/integration/googleChangeFeed.test.ts.
  await control('/control/settings', { changeFeedLagMs: 0 });
});

afterAll(() => emulator.close());

/** The real Google connector over HTTP against the emulator, one fresh service account per test. */
describeConnectorConformance('google (HTTP emulator)', async () => {
  const account = `conformance-${randomUUID().slice(0, 8)}@docbridge-test.iam.gserviceaccount.com`;
  const key = await createServiceAccount(emulator, account);
  const transport = new HttpDocsTransport(
    { kind: 'serviceAccount', key },
    { docs: emulator.url, drive: emulator.url, token: emulator.tokenUrl },
    {
      reads: new RateLimiter(200, 200),
      writes: new RateLimiter(200, 200),
      probes: new RateLimiter(200, 200),
    },
  );
  const connector = new GoogleConnector(transport, () => transport.openChangeFeed());
  const batchUpdates = async () =>
    (await control<{ calls: Record<string, number> }>('/control/stats')).calls['documents.batchUpdate'] ?? 0;
  return {
    connector,
    async createFile(paragraphs) {
      const text = paragraphs.join('\n');
      const { documentId } = await control<{ documentId: string }>('/control/documents', {
        title: 'conformance',
        owner: account,
        requests: text ? [{ insertText: { location: { index: 1 }, text } }] : [],
      });
      return { linkId: `link-${documentId}`, remoteId: documentId };
    },
    async userInsert(target, index, text) {
      const doc = await control<GoogleDocJson>(`/control/documents/${target.remoteId}`);
      await control(`/control/documents/${target.remoteId}/edit`, {
        requests: [{ insertText: { location: { index: paragraphStart(doc, index) }, text } }],
      });
    },
    async paragraphs(target) {
      return googleParagraphs(await control<GoogleDocJson>(`/control/documents/${target.remoteId}`));
    },
    writeCalls: batchUpdates,
    async failNext(status, count, retryAfterSeconds) {
      await control('/control/faults', { status, count, retryAfterSeconds });
    },
    async revokeCredential() {
      await control(`/control/service-accounts/${encodeURIComponent(account)}`, undefined, 'DELETE');
    },
    async deleteFile(target) {
      await control(`/control/documents/${target.remoteId}`, undefined, 'DELETE');
    },
  };
});
