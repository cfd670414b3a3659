import { Hono } from 'hono';
import { fileFor, guard } from './apiGuard.ts';
import type { EmulatorState } from './emulatorState.ts';
import { GoogleApiError } from './engine/index.ts';
import type { FaultQueue } from './faults.ts';
import { googleError } from './googleErrors.ts';

const readOnlyScopes = new Set([
  'https://www.googleapis.com/auth/documents.readonly',
  'https://www.googleapis.com/auth/drive.readonly',
]);

/** Google Docs API v1: documents.get, documents.create, documents.batchUpdate (with writeControl). */
export function docsRoutes(state: EmulatorState, faults: FaultQueue) {
  const app = new Hono();

  app.get('/v1/documents/:id', async (c) => {
    const guarded = await guard(c, state, faults, 'documents.get');
    if ('response' in guarded) return guarded.response;
    const found = fileFor(c, state, guarded.token, c.req.param('id'));
    if ('response' in found) return found.response;
    return c.json(state.document(found.file));
  });

  app.post('/v1/documents', async (c) => {
    const guarded = await guard(c, state, faults, 'documents.create');
    if ('response' in guarded) return guarded.response;
    const body = (await c.req.json().catch(() => ({}))) as { title?: unknown };
    const title = typeof body.title === 'string' ? body.title : 'Untitled document';
    const file = state.createFile(title, guarded.token.principal);
    state.touch(file);
    return c.json(state.document(file));
  });

  // The method is part of the last path segment: `{documentId}:batchUpdate`.
  app.post('/v1/documents/:target', async (c) => {
    const [id, method] = c.req.param('target').split(':');
    if (method !== 'batchUpdate' || !id) return googleError(c, 404, 'NOT_FOUND', 'Method not found.');
    const guarded = await guard(c, state, faults, 'documents.batchUpdate');
    if ('response' in guarded) return guarded.response;
    if (guarded.token.scopes.every((scope) => readOnlyScopes.has(scope))) {
      return googleError(c, 403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.');
    }
    const found = fileFor(c, state, guarded.token, id);
    if ('response' in found) return found.response;
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return googleError(c, 400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
    }
    try {
      const result = found.file.history.batchUpdate(
        body as Parameters<typeof found.file.history.batchUpdate>[0],
      );
      state.touch(found.file);
      return c.json(result);
    } catch (error) {
      if (error instanceof GoogleApiError)
        return googleError(c, error.httpStatus, error.status, error.message);
      throw error;
    }
  });

  return app;
}
