import type { docs_v1 } from '@googleapis/docs';

/**
 * The Google API calls the Google connector makes, behind one seam: `get` is `documents.get` (suggestions
 * inline), `batchUpdate` is `documents.batchUpdate`, and `version` the change probe on Drive. Failures are thrown as the engine's RemoteErrors.
 * Production uses `httpDocsTransport.ts` (googleapis over HTTP); tests plug in the emulator's request engine
 * in process (`test/emulators/google/engineTransport.ts`) or point the HTTP one at the HTTP emulator, so
 * both run the same connector.
 */
export interface GoogleDocsTransport {
  /** `documents.get`; `urgent` reads (a document someone has open) go before the others of the credential. */
  get(documentId: string, urgent?: boolean): Promise<docs_v1.Schema$Document>;
  /** Drive's `version` of the file (`files.get?fields=version`), which grows with every change to it. */
  version?(documentId: string, urgent?: boolean): Promise<string>;
  /** How long reads and probes have lately waited for the credential's quota (ms; see `Connector.quotaWaitMs`). */
  quotaWaitMs?(): number;
  batchUpdate(
    documentId: string,
    body: docs_v1.Schema$BatchUpdateDocumentRequest,
  ): Promise<docs_v1.Schema$BatchUpdateDocumentResponse>;
}
