import { Hono } from 'hono';
import { fileFor, guard } from './apiGuard.ts';
import type { EmulatedFile, EmulatorState } from './emulatorState.ts';
import type { FaultQueue } from './faults.ts';
import { googleError } from './googleErrors.ts';
import type { WatchChannels } from './watchChannels.ts';

/** Drive API v3, the calls the connector uses: files.get, the change feed, watch channels. */
export function driveRoutes(state: EmulatorState, faults: FaultQueue, channels: WatchChannels) {
  const app = new Hono();

  app.get('/drive/v3/files/:id', async (c) => {
    const guarded = await guard(c, state, faults, 'files.get');
    if ('response' in guarded) return guarded.response;
    const found = fileFor(c, state, guarded.token, c.req.param('id'));
    if ('response' in found) return found.response;
    return c.json(pick(metadata(found.file), c.req.query('fields')));
  });

  app.get('/drive/v3/changes/startPageToken', async (c) => {
    const guarded = await guard(c, state, faults, 'changes.getStartPageToken');
    if ('response' in guarded) return guarded.response;
    return c.json({ kind: 'drive#startPageToken', startPageToken: String(state.changes.length + 1) });
  });

  app.get('/drive/v3/changes', async (c) => {
    const guarded = await guard(c, state, faults, 'changes.list');
    if ('response' in guarded) return guarded.response;
    const from = Number(c.req.query('pageToken'));
    if (!Number.isInteger(from) || from < 1) return googleError(c, 400, 'INVALID_ARGUMENT', 'Invalid Value');
    const pageSize = Math.min(1000, Math.max(1, Number(c.req.query('pageSize') ?? 100)));
    const now = Date.now();
    // The feed only shows what has become visible; a lagging change holds back everything after it.
    const visible = state.changes
      .slice(from - 1)
      .filter((_, i, all) => all.slice(0, i + 1).every((e) => e.visibleAt <= now));
    const page = visible.slice(0, pageSize);
    const principal = guarded.token.principal;
    const changes = page
      .map((entry) => ({ entry, file: state.files.get(entry.fileId) }))
      .filter(({ file }) => file?.editors.has(principal))
      .map(({ entry, file }) => ({
        kind: 'drive#change',
        changeType: 'file',
        time: entry.time,
        removed: false,
        fileId: entry.fileId,
        file: metadata(file!),
      }));
    const next = from + page.length;
    return c.json(
      page.length < visible.length
        ? { kind: 'drive#changeList', nextPageToken: String(next), changes }
        : { kind: 'drive#changeList', newStartPageToken: String(next), changes },
    );
  });

  app.post('/drive/v3/changes/watch', async (c) => {
    const guarded = await guard(c, state, faults, 'changes.watch');
    if ('response' in guarded) return guarded.response;
    const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
    const result = channels.open(body, c.req.query('pageToken'), guarded.token.principal);
    if (!result.ok) return googleError(c, 400, 'INVALID_ARGUMENT', result.error);
    return c.json(result.channel);
  });

  app.post('/drive/v3/channels/stop', async (c) => {
    const guarded = await guard(c, state, faults, 'channels.stop');
    if ('response' in guarded) return guarded.response;
    const body = (await c.req.json().catch(() => ({}))) as { id?: string; resourceId?: string };
    if (!channels.stop(body.id ?? '', body.resourceId ?? ''))
      return googleError(c, 404, 'NOT_FOUND', 'Channel not found.');
    return c.body(null, 204);
  });

  return app;
}

function metadata(file: EmulatedFile) {
  return {
    kind: 'drive#file',
    id: file.id,
    name: file.name,
    mimeType: 'application/vnd.google-apps.document',
    modifiedTime: file.modifiedTime,
    version: String(file.version),
    trashed: file.trashed,
    owners: [{ kind: 'drive#user', emailAddress: file.owner, displayName: file.owner }],
  };
}

/** A top-level `fields` mask (`id,name,version`), as Drive applies it; `*` or none returns everything. */
function pick(value: Record<string, unknown>, fields: string | undefined): Record<string, unknown> {
  if (!fields || fields === '*') return value;
  const wanted = fields.split(',').map((f) => f.trim());
  return Object.fromEntries(Object.entries(value).filter(([key]) => wanted.includes(key)));
}
