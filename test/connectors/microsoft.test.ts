import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { readDocx } from '../../connectors/microsoft/docx/index.ts';
import { canonicalRemoteId } from '../../connectors/microsoft/itemAddress.ts';
import { MicrosoftConnector } from '../../connectors/microsoft/microsoftConnector.ts';
import { RateLimiter } from '../../connectors/sync/rateLimiter.ts';
import { type GraphEmulator, startGraphEmulator } from '../emulators/microsoft/server.ts';
import { emulatorControl } from '../helpers/emulatorControl.ts';
import { docxOf, trustCa } from '../helpers/graphEmulator.ts';
import { describeConnectorConformance } from './conformance.ts';

let emulator: GraphEmulator;
let control: ReturnType<typeof emulatorControl>;
let driveId: string;
const TENANT = 'conformance-tenant';

beforeAll(async () => {
  emulator = await startGraphEmulator({ notificationLagMs: 0 });
  trustCa(emulator.caPem);
  control = emulatorControl(emulator.graphUrl);
  await control('/control/apps', { tenantId: TENANT, clientId: 'bootstrap', clientSecret: 'unused' });
  ({ driveId } = await control<{ driveId: string }>('/control/drives', { tenantId: TENANT }));
});

afterAll(() => emulator.close());

/** The real Microsoft connector (@azure/identity + Graph client over HTTPS), one fresh app registration per test. */
describeConnectorConformance('microsoft (Graph emulator)', async () => {
  const clientId = randomUUID();
  await control('/control/apps', { tenantId: TENANT, clientId, clientSecret: 's3cret' });
  const connector = new MicrosoftConnector(
    {
      tenantId: TENANT,
      clientId,
      secret: { kind: 'clientSecret', clientSecret: 's3cret' },
      endpoints: { graph: emulator.graphUrl, login: emulator.loginUrl },
    },
    { reads: new RateLimiter(200, 200), writes: new RateLimiter(200, 200) },
  );
  const itemOf = (remoteId: string) => remoteId.split('/').pop()!;
  const item = (remoteId: string) => `/control/drives/${driveId}/items/${itemOf(remoteId)}`;
  return {
    connector,
    async createFile(paragraphs) {
      const { itemId } = await control<{ itemId: string }>(`/control/drives/${driveId}/items`, {
        name: 'conformance.docx',
        contentBase64: Buffer.from(docxOf(paragraphs)).toString('base64'),
      });
      return { linkId: `link-${itemId}`, remoteId: canonicalRemoteId(driveId, itemId) };
    },
    async userInsert(target, index, text) {
      await control(`${item(target.remoteId)}/word-save`, {
        edits: [{ prependText: { paragraph: index, text } }],
      });
    },
    async paragraphs(target) {
      const res = await fetch(`${emulator.graphUrl}${item(target.remoteId)}/content`);
      const { doc } = readDocx(new Uint8Array(await res.arrayBuffer()));
      return (doc.content ?? []).map((block) => (block.content ?? []).map((n) => n.text ?? '').join(''));
    },
    async writeCalls() {
      return (await control<{ uploads: unknown[] }>('/control/stats')).uploads.length;
    },
    async failNext(status, count, retryAfterSeconds) {
      await control('/control/faults', { status, count, retryAfterSeconds });
    },
    async revokeCredential() {
      await control(`/control/apps/${TENANT}/${clientId}`, undefined, 'DELETE');
    },
    async deleteFile(target) {
      await control(item(target.remoteId), undefined, 'DELETE');
    },
  };
});
