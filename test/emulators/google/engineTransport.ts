import type { docs_v1 } from '@googleapis/docs';
import type { GoogleDocsTransport } from '../../../connectors/google/docsTransport.ts';
import { toRemoteError } from '../../../connectors/google/googleErrors.ts';
import { ChangedIds } from '../../helpers/changedIds.ts';
import { createDocument, DocumentHistory, GoogleApiError } from './engine/index.ts';

/**
 * The emulator's request engine as an in-process transport of the real Google connector: the same
 * documents.get / documents.batchUpdate semantics (writeControl, index rules, revisions) as the HTTP emulator,
 * without sockets, so seeded random tests run fast and deterministically. Errors go through the connector's
 * own `toRemoteError`, exactly as an HTTP error body would. Holds any number of documents by id.
 */
export class EngineTransport implements GoogleDocsTransport {
  private readonly histories = new Map<string, DocumentHistory>();
  readonly calls = { get: 0, batchUpdate: 0 };
  /** Statuses the next calls answer with (as the HTTP emulator's `/control/faults`). */
  private readonly faults: { status: number; retryAfterSeconds?: number }[] = [];
  private revoked = false;
  private readonly changed = new ChangedIds();

  /** Makes the next `count` calls fail with `status`. */
  failNext(status: 429 | 500 | 503, count: number, retryAfterSeconds?: number): void {
    for (let i = 0; i < count; i++) this.faults.push({ status, retryAfterSeconds });
  }

  /** The credential is revoked: every call answers 401 from now on. */
  revoke(): void {
    this.revoked = true;
  }

  /** A Google user's edit of `id` at the latest revision; the change feed reports it. */
  userEdit(id: string, requests: unknown[]): void {
    this.history(id).collaboratorEdit(requests);
    this.changed.add(id);
  }

  /** The credential's change feed over these documents (Drive's changes.list, in process). */
  changeFeed() {
    return this.changed.feed();
  }

  private check(what: string): void {
    const fault = this.revoked
      ? { status: 401, message: 'Request had invalid authentication credentials.', google: 'UNAUTHENTICATED' }
      : this.faults.length > 0
        ? { ...this.faults.shift()!, message: 'injected fault', google: 'UNAVAILABLE' }
        : null;
    if (!fault) return;
    const retryAfter = 'retryAfterSeconds' in fault ? fault.retryAfterSeconds : undefined;
    throw toRemoteError(
      {
        response: {
          status: fault.status,
          headers: retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
          data: { error: { code: fault.status, status: fault.google, message: fault.message } },
        },
      },
      what,
    );
  }

  /** A new document holding `paragraphs`; returns its id. */
  create(id: string, paragraphs: string[]): string {
    const history = new DocumentHistory(createDocument(id));
    if (paragraphs.length > 0)
      history.collaboratorEdit([{ insertText: { location: { index: 1 }, text: paragraphs.join('\n') } }]);
    this.histories.set(id, history);
    return id;
  }

  /** The history of a document (a Google user's edits go through `collaboratorEdit`). */
  history(id: string): DocumentHistory {
    const history = this.histories.get(id);
    if (!history) throw toRemoteError(notFound(id), 'documents.get');
    return history;
  }

  /** Removes a document, as a user deleting the file would. */
  delete(id: string): void {
    this.histories.delete(id);
  }

  async get(documentId: string): Promise<docs_v1.Schema$Document> {
    this.calls.get += 1;
    this.check('documents.get');
    return this.history(documentId).current;
  }

  /** The change probe: here the latest revision id, which moves with every change as Drive's version does. */
  async version(documentId: string): Promise<string> {
    return this.history(documentId).current.revisionId!;
  }

  async batchUpdate(
    documentId: string,
    body: docs_v1.Schema$BatchUpdateDocumentRequest,
  ): Promise<docs_v1.Schema$BatchUpdateDocumentResponse> {
    this.calls.batchUpdate += 1;
    this.check('documents.batchUpdate');
    const history = this.history(documentId);
    try {
      return structuredClone(history.batchUpdate(body as Parameters<DocumentHistory['batchUpdate']>[0]));
    } catch (error) {
      if (!(error instanceof GoogleApiError)) throw error;
      throw toRemoteError(asHttpError(error), 'documents.batchUpdate');
    }
  }
}

/** A GoogleApiError shaped like the gaxios error the HTTP transport sees for the same answer. */
function asHttpError(error: GoogleApiError) {
  return {
    response: {
      status: error.httpStatus,
      data: { error: { code: error.httpStatus, status: error.status, message: error.message } },
    },
  };
}

function notFound(id: string) {
  return asHttpError(new GoogleApiError(404, 'NOT_FOUND', `Requested entity was not found: ${id}`));
}
