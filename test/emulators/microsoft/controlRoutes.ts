import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { commonControlRoutes, invalidControlRequest } from '../controlRoutes.ts';
import { browserUrlOf, webUrlOf } from './driveItemJson.ts';
import { type EntraTokens, newObjectId } from './entraTokens.ts';
import type { GraphFaults } from './faults.ts';
import { cTagOf, eTagOf, type GraphState } from './graphState.ts';
import type { Subscriptions } from './subscriptions.ts';
import { wordSave } from './wordUser.ts';

const callKind = z.enum([
  'token',
  'item.get',
  'item.content',
  'item.download',
  'item.upload',
  'uploadSession.create',
  'uploadSession.put',
  'shares.get',
  'delta',
  'subscriptions.create',
  'subscriptions.update',
]);

const editSchema = z.union([
  z.object({ appendText: z.object({ paragraph: z.number().int().min(0), text: z.string().min(1) }) }),
  z.object({ prependText: z.object({ paragraph: z.number().int().min(0), text: z.string().min(1) }) }),
  z.object({ insertParagraph: z.object({ after: z.number().int().min(-1), text: z.string().min(1) }) }),
]);

/**
 * The test-only control API (`/control/*`, never part of Graph): register app registrations and drives,
 * put files in them, expire authorization codes, act as a Word user (save an edited .docx the way Word does; open and close the file,
 * which locks and unlocks it), inject faults, expire tokens and delta tokens, send lifecycle
 * notifications, read counters and the log of uploads; add directory users, give them their own access to a
 * file, and mint the token Office SSO would give a user of the Word add-in.
 */
export function controlRoutes(
  state: GraphState,
  faults: GraphFaults,
  subscriptions: Subscriptions,
  entra: EntraTokens,
  authority: () => string,
) {
  const app = new Hono();

  const lookup = (driveId: string, itemId: string) => {
    const drive = state.drives.get(driveId);
    const item = drive?.items.get(itemId);
    return drive && item && !item.deleted ? { drive, item } : null;
  };
  const describe = (found: NonNullable<ReturnType<typeof lookup>>) => ({
    driveId: found.drive.id,
    itemId: found.item.id,
    name: found.item.name,
    eTag: eTagOf(found.item),
    cTag: cTagOf(found.item),
    size: found.item.content.byteLength,
    lockedBy: found.item.lockedBy,
    webUrl: webUrlOf(found.drive, found.item),
    browserUrl: browserUrlOf(found.drive, found.item),
  });
  const user = (name: string) => ({ user: { displayName: name, email: name } });

  app.post('/control/apps', async (c) => {
    const body = z
      .object({
        tenantId: z.string().min(1),
        clientId: z.string().min(1),
        clientSecret: z.string().optional(),
        certificatePem: z.string().optional(),
        roles: z.array(z.enum(['Files.ReadWrite.All', 'Sites.Selected'])).default(['Files.ReadWrite.All']),
        sites: z.array(z.string()).default([]),
        spaRedirectUris: z.array(z.string().url()).optional(),
        webRedirectUris: z.array(z.string().url()).optional(),
        identifierUris: z.array(z.string().min(1)).optional(),
      })
      .parse(await c.req.json());
    state.apps.set(`${body.tenantId}/${body.clientId}`, { ...body, sites: new Set(body.sites) });
    state.tenants.add(body.tenantId);
    return c.json({ ok: true });
  });

  // The app registration is deleted in Entra: its tokens stop working and no new one is issued.
  app.delete('/control/apps/:tenantId/:clientId', (c) => {
    const key = `${c.req.param('tenantId')}/${c.req.param('clientId')}`;
    return c.json({ ok: state.apps.delete(key) });
  });

  // A work account in a directory: `{ tenantId, upn, displayName? }` -> `{ upn, oid }`.
  app.post('/control/users', async (c) => {
    const body = z
      .object({
        tenantId: z.string().min(1),
        upn: z.string().email(),
        displayName: z.string().min(1).optional(),
      })
      .parse(await c.req.json());
    const upn = body.upn.toLowerCase();
    const user = state.users.get(upn) ?? {
      tenantId: body.tenantId,
      upn,
      oid: newObjectId(),
      displayName: body.displayName ?? upn,
    };
    state.users.set(upn, user);
    state.tenants.add(body.tenantId);
    return c.json({ upn: user.upn, oid: user.oid });
  });

  // What Office SSO (`Office.auth.getAccessToken`) would hand the add-in signed in as this user: a v2.0 access
  // token for `audience` (the add-in's client id). `lifetimeSeconds` < 0 gives an expired one.
  app.post('/control/users/:upn/addin-token', async (c) => {
    const user = state.users.get(c.req.param('upn').toLowerCase());
    if (!user) return c.json({ error: 'no such user' }, 404);
    const body = z
      .object({
        audience: z.string().min(1),
        lifetimeSeconds: z.number().int().min(-86_400).max(86_400).optional(),
        notBeforeSeconds: z.number().int().min(0).max(86_400).optional(),
      })
      .parse(await c.req.json());
    const accessToken = await entra.userAccessToken(authority(), user, body.audience, body);
    return c.json({ accessToken });
  });

  // Every authorization code issued so far outlives Entra's ten minutes (the next redemption: AADSTS70008).
  app.post('/control/authorization-codes/expire', (c) => {
    for (const code of state.authorizationCodes.values()) code.expiresAt = 0;
    return c.json({ ok: true });
  });

  // A user's own access to a file (`none` takes it away).
  app.post('/control/drives/:driveId/items/:itemId/permissions', async (c) => {
    const found = lookup(c.req.param('driveId'), c.req.param('itemId'));
    if (!found) return c.json({ error: 'not found' }, 404);
    const body = z
      .object({ user: z.string().email(), role: z.enum(['owner', 'write', 'read', 'none']) })
      .parse(await c.req.json());
    const upn = body.user.toLowerCase();
    if (!state.users.has(upn)) return c.json({ error: 'no such user' }, 404);
    if (body.role === 'none') found.item.permissions.delete(upn);
    else found.item.permissions.set(upn, body.role);
    return c.json({ ok: true });
  });

  app.post('/control/drives', async (c) => {
    const body = z
      .object({
        tenantId: z.string().min(1),
        driveType: z.enum(['business', 'documentLibrary']).default('documentLibrary'),
        siteName: z
          .string()
          .regex(/^[A-Za-z0-9_-]+$/)
          .default('Policy'),
      })
      .parse(await c.req.json());
    const drive = state.createDrive(body.tenantId, body.driveType, body.siteName);
    return c.json({ driveId: drive.id, siteId: drive.siteId, webUrl: drive.webUrl });
  });

  app.post('/control/drives/:driveId/items', async (c) => {
    const drive = state.drives.get(c.req.param('driveId'));
    if (!drive) return c.json({ error: 'no such drive' }, 404);
    const body = z
      .object({
        name: z.string().min(1),
        contentBase64: z.string(),
        user: z.string().default('ada@contoso.com'),
      })
      .parse(await c.req.json());
    const item = state.createItem(
      drive,
      body.name,
      Buffer.from(body.contentBase64, 'base64'),
      user(body.user),
    );
    return c.json(describe({ drive, item }));
  });

  app.get('/control/drives/:driveId/items/:itemId', (c) => {
    const found = lookup(c.req.param('driveId'), c.req.param('itemId'));
    return found ? c.json(describe(found)) : c.json({ error: 'not found' }, 404);
  });

  app.get('/control/drives/:driveId/items/:itemId/content', (c) => {
    const found = lookup(c.req.param('driveId'), c.req.param('itemId'));
    return found
      ? c.body(Buffer.from(found.item.content), 200, { 'Content-Type': 'application/octet-stream' })
      : c.json({ error: 'not found' }, 404);
  });

  app.post('/control/drives/:driveId/items/:itemId/sharing-link', (c) => {
    const found = lookup(c.req.param('driveId'), c.req.param('itemId'));
    if (!found) return c.json({ error: 'not found' }, 404);
    const site = new URL(found.drive.webUrl);
    const sitePath = site.pathname
      .split('/')
      .slice(1, 3)
      .join('/')
      .replace('sites/', 's/')
      .replace('personal/', 'g/personal/');
    const url = `${site.origin}/:w:/${sitePath}/E${randomBytes(33).toString('base64url')}?e=${randomBytes(4).toString('base64url')}`;
    found.item.sharingLinks.push(url);
    return c.json({ url });
  });

  // A Word user saving: the whole package rewritten, new eTag and cTag. Refused while someone else holds it.
  app.post('/control/drives/:driveId/items/:itemId/word-save', async (c) => {
    const found = lookup(c.req.param('driveId'), c.req.param('itemId'));
    if (!found) return c.json({ error: 'not found' }, 404);
    const body = z
      .object({
        user: z.string().default('ada@contoso.com'),
        edits: z.array(editSchema).optional(),
        contentBase64: z.string().optional(),
      })
      .parse(await c.req.json());
    if (found.item.lockedBy && found.item.lockedBy !== body.user) {
      return c.json({ error: `locked by ${found.item.lockedBy}` }, 423);
    }
    const content = body.contentBase64
      ? Buffer.from(body.contentBase64, 'base64')
      : wordSave(found.item.content, body.edits ?? []);
    state.update(found.drive, found.item, { content, by: user(body.user) });
    return c.json(describe(found));
  });

  // A user deletes the file (to the recycle bin): Graph answers 404 for it from now on.
  app.delete('/control/drives/:driveId/items/:itemId', (c) => {
    const found = lookup(c.req.param('driveId'), c.req.param('itemId'));
    if (!found) return c.json({ error: 'not found' }, 404);
    found.item.deleted = true;
    state.update(found.drive, found.item, { by: user('ada@contoso.com') });
    return c.json({ ok: true });
  });

  // Opening the file in Word locks it; closing releases the lock.
  app.post('/control/drives/:driveId/items/:itemId/open', async (c) => {
    const found = lookup(c.req.param('driveId'), c.req.param('itemId'));
    if (!found) return c.json({ error: 'not found' }, 404);
    const body = z.object({ user: z.string().default('ada@contoso.com') }).parse(await c.req.json());
    if (found.item.lockedBy && found.item.lockedBy !== body.user) return c.json({ error: 'locked' }, 409);
    found.item.lockedBy = body.user;
    return c.json(describe(found));
  });

  app.post('/control/drives/:driveId/items/:itemId/close', (c) => {
    const found = lookup(c.req.param('driveId'), c.req.param('itemId'));
    if (!found) return c.json({ error: 'not found' }, 404);
    found.item.lockedBy = null;
    return c.json(describe(found));
  });

  // A metadata-only change: new eTag, same cTag.
  app.post('/control/drives/:driveId/items/:itemId/rename', async (c) => {
    const found = lookup(c.req.param('driveId'), c.req.param('itemId'));
    if (!found) return c.json({ error: 'not found' }, 404);
    const body = z
      .object({ name: z.string().min(1), user: z.string().default('ada@contoso.com') })
      .parse(await c.req.json());
    state.update(found.drive, found.item, { name: body.name, by: user(body.user) });
    return c.json(describe(found));
  });

  commonControlRoutes(app, {
    faults,
    calls: callKind,
    resets: true,
    expireTokens: () => state.expireTokens(),
  });

  app.post('/control/drives/:driveId/expire-delta-tokens', (c) => {
    const drive = state.drives.get(c.req.param('driveId'));
    if (!drive) return c.json({ error: 'no such drive' }, 404);
    state.expireDeltaTokens(drive);
    return c.json({ ok: true });
  });

  app.post('/control/settings', async (c) => {
    const body = z
      .object({
        notificationLagMs: z.number().int().min(0).optional(),
        deltaPageSize: z.number().int().min(1).optional(),
        tokenLifetimeSeconds: z.number().int().min(1).optional(),
      })
      .parse(await c.req.json());
    if (body.notificationLagMs !== undefined) subscriptions.options.lagMs = body.notificationLagMs;
    if (body.deltaPageSize !== undefined) state.deltaPageSize = body.deltaPageSize;
    if (body.tokenLifetimeSeconds !== undefined) state.tokenLifetimeSeconds = body.tokenLifetimeSeconds;
    return c.json({ ok: true });
  });

  app.get('/control/subscriptions', (c) => c.json({ subscriptions: subscriptions.list() }));

  app.post('/control/subscriptions/lifecycle', async (c) => {
    const body = z
      .object({ event: z.enum(['reauthorizationRequired', 'missed', 'subscriptionRemoved']) })
      .parse(await c.req.json());
    return c.json({ sent: subscriptions.lifecycle(body.event) });
  });

  app.post('/control/subscriptions/expire', (c) => c.json({ expired: subscriptions.expireAll() }));

  app.post('/control/notifications/drop', async (c) => {
    const body = z.object({ count: z.number().int().min(1).max(1000) }).parse(await c.req.json());
    subscriptions.dropNext += body.count;
    return c.json({ ok: true });
  });

  app.get('/control/stats', (c) =>
    c.json({ calls: Object.fromEntries(state.calls), uploads: state.uploads }),
  );

  app.onError((error, c) => {
    const invalid = invalidControlRequest(error, c);
    if (invalid) return invalid;
    if (error instanceof Error && /paragraph|not a Word document/.test(error.message))
      return c.json({ error: error.message }, 400);
    throw error;
  });
  return app;
}
