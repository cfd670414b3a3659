/**
 * The Google Docs emulator engine: an in-memory Google Doc and its documents.batchUpdate semantics, wrapped
 * by the HTTP emulator and used directly by converter tests to build realistic documents.
 */
export { type AppliedBatch, applyRequests } from './applyRequests.ts';
export { createDocument } from './createDocument.ts';
export { GoogleApiError } from './errors.ts';
export { type BatchUpdateBody, type BatchUpdateResult, DocumentHistory } from './history.ts';
export type { Document, Request, Response } from './model.ts';
export { reindexDocument } from './reindex.ts';
