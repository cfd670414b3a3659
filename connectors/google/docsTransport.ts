import type { docs_v1 } from 'googleapis';

/**
 * The two Docs API calls the Google connector makes, behind one seam: `get` is `documents.get` (suggestions
 * inline) and `batchUpdate` is `documents.batchUpdate`. Failures are thrown as the engine's RemoteErrors.
 * Production uses `httpDocsTransport.ts` (googleapis over HTTP); tests plug in the emulator's request engine
 * in process (`test/emulators/google/engineTransport.ts`) or point the HTTP one at the HTTP emulator, so
 * both run the same connector.
 */
export interface GoogleDocsTransport {
  get(documentId: string): Promise<docs_v1.Schema$Document>;
  batchUpdate(
    documentId: string,
    body: docs_v1.Schema$BatchUpdateDocumentRequest,
  ): Promise<docs_v1.Schema$BatchUpdateDocumentResponse>;
}
