import type { Hocuspocus } from '@hocuspocus/server';
import type { JSONContent } from '@tiptap/core';
import { Hono } from 'hono';
import * as Y from 'yjs';
import { z } from 'zod';
import { AdminStoreError } from '../../admin/adminStoreError.ts';
import type { AuditRepo } from '../../admin/auditRepo.ts';
import type { VersionInfo, VersionsRepo } from '../../admin/versionsRepo.ts';
import type { TokenVerifier } from '../../auth/tokenVerifier.ts';
import { allows, documentCaller } from './documentLinks.ts';
import { applyAsEdit, withLiveDocument } from './transfer.ts';

/** An automatic version is saved at most this often per document, and only when the content changed. */
export const AUTO_VERSION_INTERVAL_MS = 5 * 60_000;

const saveBody = z.union([
  z.object({ name: z.string().trim().min(1).max(200) }),
  z.object({ auto: z.literal(true) }),
]);

export interface VersionRoutesOptions {
  verify: TokenVerifier;
  versions: VersionsRepo;
  audit: Pick<AuditRepo, 'append'>;
  hocuspocus: Hocuspocus;
  /** Named versions one document may have; saving one more is refused (`409 too-many-versions`). */
  maxNamedVersions: number;
}

/**
 * The schema JSON a saved Yjs state holds. The schema and y-prosemirror load with the first version shown,
 * not at start.
 */
async function contentOf(state: Uint8Array): Promise<JSONContent> {
  const { fromYjs } = await import('../../../connectors/model/yjs.ts');
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return fromYjs(doc);
  } finally {
    doc.destroy();
  }
}

const sameVector = (a: Uint8Array, b: Uint8Array) =>
  a.byteLength === b.byteLength && a.every((byte, index) => byte === b[index]);

/**
 * Version history of a document. `GET .../versions?before=` lists (read role), newest first;
 * `POST .../versions` saves the live state, `{name}` for a named version or `{auto: true}` for an automatic
 * one (skipped, with `skipped: 'too-soon' | 'unchanged'`, when the last version is recent or identical);
 * `GET .../versions/:version` is a version with its content (schema JSON) for a read-only preview;
 * `POST .../versions/:version/restore` (edit role) brings that content back as a NEW edit to the live
 * document (minimal Yjs changes through a direct connection, so every client sees it and linked remotes get
 * it pushed), after saving an automatic version of what it replaces. History is never rewritten.
 */
export function versionRoutes(options: VersionRoutesOptions) {
  const app = new Hono();
  const { versions } = options;

  /** The version `:version` of this document, or null (ids of other documents and tenants included). */
  const versionOf = async (tenant: string, name: string, raw: string) => {
    const id = Number(raw);
    if (!Number.isSafeInteger(id) || id <= 0) return null;
    try {
      const version = await versions.get(tenant, id);
      return version.doc === name ? version : null;
    } catch (error) {
      if (error instanceof AdminStoreError && error.code === 'VERSION_NOT_FOUND') return null;
      throw error;
    }
  };

  /** Saves the live state as a version; automatic ones only when due and changed. */
  const snapshot = async (
    tenant: string,
    name: string,
    user: string,
    label: string | null,
  ): Promise<{ version: VersionInfo | null; skipped?: 'too-soon' | 'unchanged' }> => {
    const latest = (await versions.list(tenant, name, { limit: 1 })).items[0];
    if (label === null && latest && Date.now() - latest.createdAt < AUTO_VERSION_INTERVAL_MS)
      return { version: null, skipped: 'too-soon' };
    const state = await withLiveDocument(options.hocuspocus, name, { http: 'version', user }, (connection) =>
      Y.encodeStateAsUpdate(connection.document!),
    );
    if (label === null && latest) {
      const previous = (await versions.get(tenant, latest.id)).state;
      if (sameVector(Y.encodeStateVectorFromUpdate(previous), Y.encodeStateVectorFromUpdate(state)))
        return { version: null, skipped: 'unchanged' };
    }
    return { version: await versions.save(tenant, { doc: name, name: label, state, createdBy: user }) };
  };

  app.get('/api/documents/:tenant/:id/versions', async (c) => {
    const caller = await documentCaller(c, options.verify);
    if (!allows(caller.role, 'read')) return c.json({ error: 'document-not-granted' }, 403);
    const before = Number(c.req.query('before') ?? 0);
    const page = await versions.list(caller.claims.tenant, caller.name, {
      limit: Number(c.req.query('limit') ?? 20),
      before: Number.isSafeInteger(before) && before > 0 ? before : null,
    });
    return c.json({ versions: page.items, next: page.next });
  });

  app.post('/api/documents/:tenant/:id/versions', async (c) => {
    const caller = await documentCaller(c, options.verify);
    if (!allows(caller.role, 'edit')) return c.json({ error: 'document-not-granted' }, 403);
    const body = saveBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success)
      return c.json(
        { error: 'invalid-version', message: 'give {name} (1-200 characters) or {auto: true}' },
        400,
      );
    const label = 'name' in body.data ? body.data.name : null;
    if (
      label !== null &&
      (await versions.countNamed(caller.claims.tenant, caller.name)) >= options.maxNamedVersions
    )
      return c.json(
        {
          error: 'too-many-versions',
          message: `this document has ${options.maxNamedVersions} named versions, the most it may keep`,
        },
        409,
      );
    const saved = await snapshot(caller.claims.tenant, caller.name, caller.claims.sub, label);
    return c.json(saved, saved.version ? 201 : 200);
  });

  app.get('/api/documents/:tenant/:id/versions/:version', async (c) => {
    const caller = await documentCaller(c, options.verify);
    if (!allows(caller.role, 'read')) return c.json({ error: 'document-not-granted' }, 403);
    const version = await versionOf(caller.claims.tenant, caller.name, c.req.param('version'));
    if (!version) return c.json({ error: 'version-not-found' }, 404);
    const { state, ...info } = version;
    return c.json({ version: info, content: await contentOf(state) });
  });

  app.post('/api/documents/:tenant/:id/versions/:version/restore', async (c) => {
    const caller = await documentCaller(c, options.verify);
    if (!allows(caller.role, 'edit')) return c.json({ error: 'document-not-granted' }, 403);
    const { tenant } = caller.claims;
    const version = await versionOf(tenant, caller.name, c.req.param('version'));
    if (!version) return c.json({ error: 'version-not-found' }, 404);
    // What the restore replaces stays reachable: an automatic version of the current content first.
    const before = await versions.save(tenant, {
      doc: caller.name,
      state: await withLiveDocument(
        options.hocuspocus,
        caller.name,
        { http: 'version', user: caller.claims.sub },
        (connection) => Y.encodeStateAsUpdate(connection.document!),
      ),
      createdBy: caller.claims.sub,
    });
    await applyAsEdit(options.hocuspocus, caller.name, await contentOf(version.state), {
      http: 'restore',
      user: caller.claims.sub,
    });
    await options.audit.append({
      tenant,
      actor: caller.claims.sub,
      action: 'version.restore',
      target: caller.name,
      details: { version: version.id, savedBefore: before.id },
    });
    return c.json({ ok: true, restored: version.id, savedBefore: before.id });
  });

  return app;
}
