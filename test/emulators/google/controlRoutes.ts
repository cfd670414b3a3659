import { Hono } from 'hono';
import { z } from 'zod';
import { commonControlRoutes, invalidControlRequest } from '../controlRoutes.ts';
import type { EmulatorState } from './emulatorState.ts';
import { type Document, GoogleApiError } from './engine/index.ts';
import type { FaultQueue } from './faults.ts';
import type { WatchChannels } from './watchChannels.ts';

const callKinds = z.enum([
  'token',
  'documents.get',
  'documents.create',
  'documents.batchUpdate',
  'files.get',
  'changes.getStartPageToken',
  'changes.list',
  'changes.watch',
  'channels.stop',
]);

/**
 * The test-only control API (`/control/*`): register trusted credentials, create documents, act as a Google
 * user typing in the Docs editor, inject faults, expire tokens, read counters. Never part of Google's surface.
 */
export function controlRoutes(state: EmulatorState, faults: FaultQueue, channels: WatchChannels) {
  const app = new Hono();

  app.post('/control/service-accounts', async (c) => {
    const body = z
      .object({ clientEmail: z.string().min(1), publicKeyPem: z.string().min(1) })
      .parse(await c.req.json());
    state.serviceAccounts.set(body.clientEmail, body.publicKeyPem);
    return c.json({ ok: true });
  });

  // An administrator deleting the service account's key: its tokens stop working and no new one is issued.
  app.delete('/control/service-accounts/:email', (c) => {
    const email = c.req.param('email');
    state.serviceAccounts.delete(email);
    for (const [token, issued] of state.tokens) if (issued.principal === email) state.tokens.delete(token);
    return c.json({ ok: true });
  });

  app.post('/control/oauth-clients', async (c) => {
    const body = z
      .object({ clientId: z.string(), clientSecret: z.string(), refreshToken: z.string(), user: z.string() })
      .parse(await c.req.json());
    state.refreshTokens.set(body.refreshToken, {
      user: body.user,
      clientId: body.clientId,
      clientSecret: body.clientSecret,
    });
    return c.json({ ok: true });
  });

  app.post('/control/documents', async (c) => {
    const body = z
      .object({
        title: z.string().default('Untitled document'),
        owner: z.string().min(1),
        editors: z.array(z.string()).default([]),
        requests: z.array(z.unknown()).default([]),
        document: z.record(z.string(), z.unknown()).optional(),
      })
      .parse(await c.req.json());
    const file = state.createFile(
      body.title,
      body.owner,
      body.editors,
      body.document as Document | undefined,
    );
    if (body.requests.length > 0) file.history.collaboratorEdit(body.requests);
    state.touch(file);
    return c.json({ documentId: file.id, revisionId: file.history.current.revisionId });
  });

  app.get('/control/documents/:id', (c) => {
    const file = state.files.get(c.req.param('id'));
    return file ? c.json(file.history.current) : c.json({ error: 'not found' }, 404);
  });

  // A user deleting the file: every API call on it answers 404 from now on.
  app.delete('/control/documents/:id', (c) => {
    const file = state.files.get(c.req.param('id'));
    if (!file) return c.json({ error: 'not found' }, 404);
    state.files.delete(file.id);
    return c.json({ ok: true });
  });

  // A Google user typing in the Docs editor: a collaborator's change, written against the revision the user
  // saw (`revisionId`, transformed over what landed since, as the Docs editor's edits are) or the latest.
  app.post('/control/documents/:id/edit', async (c) => {
    const file = state.files.get(c.req.param('id'));
    if (!file) return c.json({ error: 'not found' }, 404);
    const body = z
      .object({ requests: z.array(z.unknown()).min(1), revisionId: z.string().optional() })
      .parse(await c.req.json());
    try {
      const revisionId = file.history.collaboratorEdit(body.requests, body.revisionId);
      state.touch(file);
      channels.changed(file.id);
      return c.json({ revisionId });
    } catch (error) {
      if (error instanceof GoogleApiError) return c.json(error.toBody(), 400);
      throw error;
    }
  });

  commonControlRoutes(app, {
    faults,
    calls: callKinds,
    resets: false,
    expireTokens: () => state.expireTokens(),
  });

  app.post('/control/settings', async (c) => {
    const body = z
      .object({
        changeFeedLagMs: z.number().int().min(0).optional(),
        tokenLifetimeSeconds: z.number().int().min(1).optional(),
      })
      .parse(await c.req.json());
    if (body.changeFeedLagMs !== undefined) state.changeFeedLagMs = body.changeFeedLagMs;
    if (body.tokenLifetimeSeconds !== undefined) state.tokenLifetimeSeconds = body.tokenLifetimeSeconds;
    return c.json({ ok: true });
  });

  app.get('/control/stats', (c) =>
    c.json({ calls: Object.fromEntries(state.calls), quotaRefused: state.quota.refused }),
  );

  app.onError((error, c) => {
    const invalid = invalidControlRequest(error, c);
    if (invalid) return invalid;
    throw error;
  });
  return app;
}
