import { afterAll, beforeAll } from 'vitest';
import { readDocx } from '../../connectors/microsoft/docx/index.ts';
import { canonicalRemoteId } from '../../connectors/microsoft/itemAddress.ts';
import { MicrosoftConnector } from '../../connectors/microsoft/microsoftConnector.ts';
import { RateLimiter } from '../../connectors/sync/rateLimiter.ts';
import { type GraphEmulator, startGraphEmulator } from '../emulators/microsoft/server.ts';
import { docxOf, graphControl, trustCa } from '../helpers/graphEmulator.ts';
import { describeConnectorConformance, type RemoteDriver } from './conformance.ts';

let emulator: GraphEmulator;
let driver: RemoteDriver;
const TENANT = 'conformance-tenant';

beforeAll(async () => {
  emulator = await startGraphEmulator();
  trustCa(emulator.caPem);
  const control = graphControl(emulator.graphUrl);
  await control('/control/apps', { tenantId: TENANT, clientId: 'conformance-app', clientSecret: 's3cret' });
  const { driveId } = await control<{ driveId: string }>('/control/drives', { tenantId: TENANT });
  const connector = new MicrosoftConnector(
    {
      tenantId: TENANT,
      clientId: 'conformance-app',
      secret: { kind: 'clientSecret', clientSecret: 's3cret' },
      endpoints: { graph: emulator.graphUrl, login: emulator.loginUrl },
    },
    { reads: new RateLimiter(50, 50), writes: new RateLimiter(50, 50) },
  );
  const itemOf = (remoteId: string) => remoteId.split('/').pop()!;
  driver = {
    connector,
    async createFile(paragraphs) {
      const { itemId } = await control<{ itemId: string }>(`/control/drives/${driveId}/items`, {
        name: 'conformance.docx',
        contentBase64: Buffer.from(docxOf(paragraphs)).toString('base64'),
      });
      return { linkId: `link-${itemId}`, remoteId: canonicalRemoteId(driveId, itemId) };
    },
    async userInsert(target, index, text) {
      await control(`/control/drives/${driveId}/items/${itemOf(target.remoteId)}/word-save`, {
        edits: [{ prependText: { paragraph: index, text } }],
      });
    },
    async paragraphs(target) {
      const res = await fetch(
        `${emulator.graphUrl}/control/drives/${driveId}/items/${itemOf(target.remoteId)}/content`,
      );
      const { doc } = readDocx(new Uint8Array(await res.arrayBuffer()));
      return (doc.content ?? []).map((block) => (block.content ?? []).map((n) => n.text ?? '').join(''));
    },
    async writeCalls() {
      const stats = await control<{ uploads: unknown[] }>('/control/stats');
      return stats.uploads.length;
    },
    async failNext(status, count, retryAfterSeconds) {
      await control('/control/faults', { status, count, retryAfterSeconds });
    },
  };
});

afterAll(() => emulator.close());

describeConnectorConformance('microsoft (Graph emulator)', async () => driver);
