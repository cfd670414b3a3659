/**
 * documents.create in the engine: the blank document of `connectors/google/convert/blankDocument.ts` with a
 * fresh id and revision, serialised as the engine serialises every document.
 */
import { blankDocument } from '../../../../connectors/google/convert/blankDocument.ts';
import { newRevisionId } from './applyRequests.ts';
import { flattenDocument } from './flatten.ts';
import { type Document, randomId } from './model.ts';
import { toDocumentJson } from './serialize.ts';

/** Creates an empty document with the given title, as Google returns it right after documents.create. */
export function createDocument(title: string, documentId = `emu-${randomId(20)}`): Document {
  return toDocumentJson(flattenDocument(blankDocument(title, documentId, newRevisionId())));
}
