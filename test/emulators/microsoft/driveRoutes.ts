import type { Context } from 'hono';
import { Hono } from 'hono';
import { deletedItemJson, driveItemJson } from './driveItemJson.ts';
import type { GraphFaults } from './faults.ts';
import { graphError } from './graphErrors.ts';
import {
  type AccessToken,
  type CallKind,
  cTagOf,
  type Drive,
  type DriveItem,
  eTagOf,
  type GraphState,
} from './graphState.ts';
import { driveFor, guard, itemFor, lockedResponse, userMay } from './guard.ts';
import { permissionsJson } from './permissions.ts';
import { resolveShare } from './shares.ts';
import type { Storage } from './storage.ts';

/** Simple uploads are for small files (reference D): larger content must go through an upload session. */
export const SIMPLE_UPLOAD_LIMIT = 4 * 1024 * 1024;

/**
 * Graph's driveItem surface under `/v1.0` (reference D): item metadata, the content download (302 to a
 * pre-authenticated URL on the storage host), simple upload with `If-Match` (412 `preconditionFailed`, 423
 * `resourceLocked`), upload sessions, `/shares/{u!...}/driveItem`, and the drive's delta feed.
 */
export function driveRoutes(
  state: GraphState,
  faults: GraphFaults,
  storage: Storage,
  graphUrl: () => string,
) {
  const app = new Hono();

  /** Guard, drive and item lookup in one: the item, or the response to send. */
  const target = async (c: Context, kind: CallKind) => {
    const auth = await guard(c, state, faults, kind);
    if ('response' in auth) return auth;
    const drive = driveFor(c, state, auth.token, c.req.param('driveId') ?? '');
    if ('response' in drive) return drive;
    const item = itemFor(c, drive.drive, c.req.param('itemId') ?? '');
    if ('response' in item) return item;
    const write = kind === 'item.upload' || kind === 'uploadSession.create';
    const denied = userMay(c, auth.token, item.item, write ? 'write' : 'read');
    if (denied) return { response: denied };
    return { token: auth.token, drive: drive.drive, item: item.item };
  };

  app.get('/v1.0/drives/:driveId/items/:itemId', async (c) => {
    const found = await target(c, 'item.get');
    if ('response' in found) return found.response;
    const { drive, item } = found;
    return c.json(driveItemJson(drive, item, graphUrl(), storage.downloadUrl(drive.id, item.id)));
  });

  app.get('/v1.0/drives/:driveId/items/:itemId/content', async (c) => {
    const found = await target(c, 'item.content');
    if ('response' in found) return found.response;
    return c.body(null, 302, { Location: storage.downloadUrl(found.drive.id, found.item.id) });
  });

  app.put('/v1.0/drives/:driveId/items/:itemId/content', async (c) => {
    const found = await target(c, 'item.upload');
    if ('response' in found) return found.response;
    const { drive, item, token } = found;
    const body = new Uint8Array(await c.req.arrayBuffer());
    const ifMatch = c.req.header('if-match') ?? null;
    const record = { itemId: item.id, kind: 'simple' as const, ifMatch, size: body.byteLength };
    if (body.byteLength > SIMPLE_UPLOAD_LIMIT) {
      state.uploads.push({ ...record, status: 413 });
      return graphError(
        c,
        413,
        'requestEntityTooLarge',
        'Simple upload is limited to 4 MB; use an upload session.',
      );
    }
    const refused = lockedResponse(c, item) ?? preconditionFailed(c, item, ifMatch);
    if (refused) {
      state.uploads.push({ ...record, status: refused.status });
      return refused;
    }
    state.update(drive, item, { content: body, by: modifiedBy(token) });
    state.uploads.push({ ...record, status: 200 });
    return c.json(driveItemJson(drive, item, graphUrl()), 200);
  });

  // The caller's view of the item's sharing permissions: all of them for an owner (or an app), only those
  // that apply to the caller for anyone else (reference: driveitem-list-permissions).
  app.get('/v1.0/drives/:driveId/items/:itemId/permissions', async (c) => {
    const found = await target(c, 'item.permissions');
    if ('response' in found) return found.response;
    return c.json(permissionsJson(state, found.drive, found.item, found.token, graphUrl()));
  });

  app.post('/v1.0/drives/:driveId/items/:itemId/createUploadSession', async (c) => {
    const found = await target(c, 'uploadSession.create');
    if ('response' in found) return found.response;
    const { drive, item, token } = found;
    const body = (await c.req.json().catch(() => ({}))) as { item?: Record<string, unknown> };
    const behavior = body.item?.['@microsoft.graph.conflictBehavior'];
    if (behavior !== undefined && !['replace', 'fail', 'rename'].includes(String(behavior))) {
      return graphError(c, 400, 'invalidRequest', 'Invalid value for @microsoft.graph.conflictBehavior.');
    }
    const ifMatch = c.req.header('if-match') ?? null;
    const refused = lockedResponse(c, item) ?? preconditionFailed(c, item, ifMatch);
    if (refused) return refused;
    return c.json(
      {
        '@odata.context': `${graphUrl()}/v1.0/$metadata#microsoft.graph.uploadSession`,
        ...storage.openSession(drive.id, item.id, ifMatch, token.clientId),
      },
      200,
    );
  });

  app.get('/v1.0/shares/:shareId/driveItem', async (c) => {
    const auth = await guard(c, state, faults, 'shares.get');
    if ('response' in auth) return auth.response;
    const share = resolveShare(state, c.req.param('shareId'));
    if (share === 'invalid') return graphError(c, 400, 'invalidRequest', 'Invalid shares key.');
    if (!share)
      return graphError(
        c,
        404,
        'itemNotFound',
        'The sharing link no longer exists, or you do not have permission to access it.',
      );
    const drive = driveFor(c, state, auth.token, share.drive.id);
    if ('response' in drive) return drive.response;
    const denied = userMay(c, auth.token, share.item, 'read');
    if (denied) return denied;
    return c.json(
      driveItemJson(share.drive, share.item, graphUrl(), storage.downloadUrl(share.drive.id, share.item.id)),
    );
  });

  app.get('/v1.0/drives/:driveId/root/delta', async (c) => {
    const auth = await guard(c, state, faults, 'delta');
    if ('response' in auth) return auth.response;
    const found = driveFor(c, state, auth.token, c.req.param('driveId'));
    if ('response' in found) return found.response;
    return delta(c, state, found.drive, graphUrl());
  });

  return app;
}

/** Who a write is recorded as: the signed-in user of a delegated token, else the application. */
function modifiedBy(token: AccessToken): DriveItem['lastModifiedBy'] {
  return token.user
    ? { user: { displayName: token.user.displayName, email: token.user.upn } }
    : { application: { id: token.clientId } };
}

/** 412 when `If-Match` names neither the item's eTag nor its cTag (Graph accepts either). */
function preconditionFailed(c: Context, item: DriveItem, ifMatch: string | null): Response | null {
  if (ifMatch === null || ifMatch === eTagOf(item) || ifMatch === cTagOf(item)) return null;
  return graphError(c, 412, 'preconditionFailed', "ETag does not match current item's value");
}

interface DeltaPosition {
  /** Changes at or above this sequence number are reported (0 with `enumerate`: everything). */
  from: number;
  /** The end of this round: the deltaLink's position. */
  upto: number;
  offset: number;
  enumerate: boolean;
}

/**
 * `GET /drives/{id}/root/delta`: without a token, every item (enumeration); with a deltaLink's token, the
 * items changed since (latest state of each, deletions included); `token=latest`, an empty page and a
 * deltaLink at the present. Pages of `state.deltaPageSize` linked by `@odata.nextLink`; the last page ends
 * with `@odata.deltaLink`. A token from before `oldestValidSeq` answers 410 `resyncRequired`.
 */
function delta(c: Context, state: GraphState, drive: Drive, graphUrl: string): Response {
  const link = (position: DeltaPosition) =>
    `${graphUrl}/v1.0/drives/${drive.id}/root/delta?token=${Buffer.from(JSON.stringify(position)).toString('base64url')}`;
  const raw = c.req.query('token');
  const now = state.nextSeq();
  let position: DeltaPosition;
  if (raw === 'latest') {
    return c.json({
      value: [],
      '@odata.deltaLink': link({ from: now, upto: now, offset: 0, enumerate: false }),
    });
  }
  if (raw === undefined) position = { from: 0, upto: now, offset: 0, enumerate: true };
  else {
    try {
      position = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as DeltaPosition;
      if (typeof position.from !== 'number' || typeof position.upto !== 'number') throw new Error('token');
    } catch {
      return graphError(c, 400, 'invalidRequest', 'Invalid delta token.');
    }
    if (!position.enumerate && position.from < drive.oldestValidSeq) {
      return graphError(
        c,
        410,
        'resyncRequired',
        "Resync required. Replace any local items with the server's version (including deletes) if you're sure that the service was up to date with your local changes when you last sync'd. Upload any local changes that the server doesn't know about.",
      );
    }
    // A deltaLink token is the start of a new round that ends at the present.
    if (position.offset === 0 && !position.enumerate) position = { ...position, upto: now };
  }
  const items = position.enumerate
    ? [...drive.items.values()].filter((item) => !item.deleted)
    : changedSince(drive, position.from, position.upto);
  const page = items.slice(position.offset, position.offset + state.deltaPageSize);
  const value = page.map((item) =>
    item.deleted ? deletedItemJson(drive, item) : withoutContext(driveItemJson(drive, item, graphUrl)),
  );
  const nextOffset = position.offset + page.length;
  if (nextOffset < items.length) {
    return c.json({ value, '@odata.nextLink': link({ ...position, offset: nextOffset }) });
  }
  return c.json({
    value,
    '@odata.deltaLink': link({ from: position.upto, upto: position.upto, offset: 0, enumerate: false }),
  });
}

function changedSince(drive: Drive, from: number, upto: number): DriveItem[] {
  const ids = new Set<string>();
  for (const change of drive.changes) if (change.seq >= from && change.seq < upto) ids.add(change.itemId);
  return [...ids].map((id) => drive.items.get(id)!).filter(Boolean);
}

function withoutContext(json: Record<string, unknown>): Record<string, unknown> {
  const { '@odata.context': _context, ...rest } = json;
  return rest;
}
