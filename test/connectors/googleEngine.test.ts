import { GoogleConnector } from '../../connectors/google/googleConnector.ts';
import { EngineTransport } from '../emulators/google/engineTransport.ts';
import { type GoogleDocJson, googleParagraphs, paragraphStart } from '../helpers/googleDocs.ts';
import { describeConnectorConformance } from './conformance.ts';

/** The real Google connector over the emulator's request engine in process: the transport is the only difference. */
describeConnectorConformance('google (in-process engine)', async () => {
  const transport = new EngineTransport();
  const connector = new GoogleConnector(transport, () => transport.changeFeed());
  let files = 0;
  return {
    connector,
    async createFile(paragraphs) {
      const id = transport.create(`engine-doc-${++files}`, paragraphs);
      return { linkId: `link-${id}`, remoteId: id };
    },
    async userInsert(target, index, text) {
      const doc = transport.history(target.remoteId).current as GoogleDocJson;
      transport.userEdit(target.remoteId, [
        { insertText: { location: { index: paragraphStart(doc, index) }, text } },
      ]);
    },
    async paragraphs(target) {
      return googleParagraphs(transport.history(target.remoteId).current as GoogleDocJson);
    },
    async writeCalls() {
      return transport.calls.batchUpdate;
    },
    async failNext(status, count, retryAfterSeconds) {
      transport.failNext(status, count, retryAfterSeconds);
    },
    async revokeCredential() {
      transport.revoke();
    },
    async deleteFile(target) {
      transport.delete(target.remoteId);
    },
  };
});
