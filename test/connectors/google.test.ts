import { afterAll, beforeAll } from 'vitest';
import { GoogleConnector } from '../../connectors/google/googleConnector.ts';
import { HttpDocsTransport } from '../../connectors/google/httpDocsTransport.ts';
import { RateLimiter } from '../../connectors/sync/rateLimiter.ts';
import { type GoogleEmulator, startGoogleEmulator } from '../emulators/google/server.ts';
import { createServiceAccount } from '../helpers/googleCredentials.ts';
import { describeConnectorConformance, type RemoteDriver } from './conformance.ts';

let emulator: GoogleEmulator;
let driver: RemoteDriver;
const SA = 'conformance@docbridge-test.iam.gserviceaccount.com';

async function control<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${emulator.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

interface GoogleDocJson {
  body: { content: { startIndex?: number; paragraph?: { elements: { textRun?: { content: string } }[] } }[] };
}

const paragraphsOf = (doc: GoogleDocJson) =>
  doc.body.content
    .filter((e) => e.paragraph)
    .map((e) =>
      e
        .paragraph!.elements.map((el) => el.textRun?.content ?? '')
        .join('')
        .replace(/\n$/, ''),
    );

beforeAll(async () => {
  emulator = await startGoogleEmulator();
  const key = await createServiceAccount(emulator, SA);
  const connector = new GoogleConnector(
    new HttpDocsTransport(
      { kind: 'serviceAccount', key },
      { docs: emulator.url, drive: emulator.url, token: emulator.tokenUrl },
      { reads: new RateLimiter(50, 50), writes: new RateLimiter(50, 50) },
    ),
  );
  driver = {
    connector,
    async createFile(paragraphs) {
      const text = paragraphs.join('\n');
      const { documentId } = await control<{ documentId: string }>('/control/documents', {
        title: 'conformance',
        owner: SA,
        requests: text ? [{ insertText: { location: { index: 1 }, text } }] : [],
      });
      return { linkId: `link-${documentId}`, remoteId: documentId };
    },
    async userInsert(target, index, text) {
      const doc = await control<GoogleDocJson>(`/control/documents/${target.remoteId}`);
      const paragraph = doc.body.content.filter((e) => e.paragraph)[index]!;
      await control(`/control/documents/${target.remoteId}/edit`, {
        requests: [{ insertText: { location: { index: paragraph.startIndex }, text } }],
      });
    },
    async paragraphs(target) {
      return paragraphsOf(await control<GoogleDocJson>(`/control/documents/${target.remoteId}`));
    },
    async writeCalls() {
      const stats = await control<{ calls: Record<string, number> }>('/control/stats');
      return stats.calls['documents.batchUpdate'] ?? 0;
    },
    async failNext(status, count, retryAfterSeconds) {
      await control('/control/faults', { status, count, retryAfterSeconds });
    },
  };
});

afterAll(() => emulator.close());

describeConnectorConformance('google (emulator)', async () => driver);
