import type { Hocuspocus } from '@hocuspocus/server';
import type { JSONContent } from '@tiptap/core';
import { Hono } from 'hono';
import { z } from 'zod';
import { suiteFor } from '../../../connectors/suites.ts';
import type { LinkSupervisor } from '../../../connectors/sync/linkSupervisor.ts';
import type { InitialMode } from '../../../connectors/sync/linkSync.ts';
import { publicFailure } from '../../../connectors/sync/remoteErrors.ts';
import type { AdminStores } from '../../admin/adminStores.ts';
import { parseDocumentName } from '../../auth/claims.ts';
import type { TokenVerifier } from '../../auth/tokenVerifier.ts';
import type { ConnectorRegistry } from '../../links/connectorRegistry.ts';
import { supervisedLink } from '../../links/linkStoreAdapter.ts';
import { adminCaller } from './adminCaller.ts';

const createLink = z
  .object({
    doc: z.string(),
    credential: z.string().min(1),
    url: z.string().optional(),
    fileId: z.string().optional(),
    initial: z.enum(['remote', 'local', 'merge']).optional(),
  })
  .refine((body) => !!body.url !== !!body.fileId, { message: 'give exactly one of url or fileId' });

export interface LinkRoutesOptions {
  verify: TokenVerifier;
  stores: AdminStores;
  links: LinkSupervisor;
  connectors: ConnectorRegistry;
  hocuspocus: Hocuspocus;
}

/** True when a schema document holds nothing but empty paragraphs. */
function isEmpty(doc: JSONContent): boolean {
  return (doc.content ?? []).every((block) => block.type === 'paragraph' && !block.content?.length);
}

/**
 * `POST /api/links` links a document of the admin's tenant to a remote file with a credential of the same
 * tenant (the address is parsed by the credential's suite, never fetched; two non-empty sides need an explicit `initial`),
 * `GET /api/links?doc=`, `DELETE /api/links/:id`, `POST /api/links/:id/resync`. Every action is audited.
 */
export function linkRoutes(options: LinkRoutesOptions) {
  const app = new Hono();
  const { stores } = options;

  app.post('/api/links', async (c) => {
    const admin = await adminCaller(c, options.verify);
    const parsed = createLink.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success)
      return c.json({ error: 'invalid-link', message: parsed.error.issues[0]?.message }, 400);
    const body = parsed.data;
    const doc = parseDocumentName(body.doc);
    if (!doc || doc.tenant !== admin.tenant) return c.json({ error: 'document-not-in-tenant' }, 403);
    const credential = await stores.credentials.get(admin.tenant, body.credential);
    if (!credential) return c.json({ error: 'credential-not-found' }, 404);
    const suite = suiteFor(credential.provider);
    if (!suite) return c.json({ error: 'credential-not-found' }, 404);
    const parsedId = suite.parseUrl(body.url ?? body.fileId ?? '');
    if (!parsedId) return c.json({ error: suite.url.invalidError }, 400);

    const connector = await options.connectors.get(admin.tenant, credential.id);
    // A sharing address becomes the file's stable id (the one change feeds report) before it is stored.
    let remoteId: string;
    let remote: Awaited<ReturnType<typeof connector.fetch>>;
    try {
      remoteId = connector.resolve ? await connector.resolve(parsedId) : parsedId;
      remote = await connector.fetch({ linkId: 'new', remoteId });
    } catch (error) {
      const failure = publicFailure(error);
      return c.json({ error: 'remote-unreachable', code: failure.code, message: failure.message }, 502);
    }
    const direct = await options.hocuspocus.openDirectConnection(body.doc, { link: 'new' });
    const { fromYjs } = await import('../../../connectors/model/yjs.ts');
    const local = fromYjs(direct.document!);
    await direct.disconnect();
    const remoteEmpty = isEmpty(remote.doc.toJSON() as JSONContent);
    const localEmpty = isEmpty(local);
    if (!body.initial && !remoteEmpty && !localEmpty) {
      return c.json(
        {
          error: 'both-not-empty',
          message: 'both documents hold content: say which wins with initial: remote, local or merge',
        },
        409,
      );
    }
    const initial: InitialMode = body.initial ?? (localEmpty ? 'remote' : 'local');
    const record = await stores.links.create(admin.tenant, {
      doc: body.doc,
      credentialId: credential.id,
      remoteId,
      remoteUrl: body.url ?? null,
      initialMode: initial,
      createdBy: admin.sub,
    });
    await stores.audit.append({
      tenant: admin.tenant,
      actor: admin.sub,
      action: 'link.create',
      target: record.id,
      details: { doc: body.doc, provider: record.provider, remoteId, initial },
    });
    await options.links.launch(supervisedLink(record));
    return c.json({ id: record.id, status: record.status }, 201);
  });

  app.get('/api/links', async (c) => {
    const admin = await adminCaller(c, options.verify);
    const doc = c.req.query('doc');
    const links = doc
      ? await stores.links.listByDoc(admin.tenant, doc)
      : (await stores.links.listByTenant(admin.tenant, { limit: 500 })).items;
    // A link made from a bare id still gets the address people open it at.
    return c.json({
      links: links.map((link) => ({
        ...link,
        remoteUrl: link.remoteUrl ?? suiteFor(link.provider)?.browserUrl(link.remoteId) ?? null,
      })),
    });
  });

  app.delete('/api/links/:id', async (c) => {
    const admin = await adminCaller(c, options.verify);
    const id = c.req.param('id');
    const record = await stores.links.get(admin.tenant, id);
    if (!record) return c.json({ error: 'link-not-found' }, 404);
    await options.links.drop(id);
    await stores.links.delete(admin.tenant, id);
    await stores.audit.append({
      tenant: admin.tenant,
      actor: admin.sub,
      action: 'link.delete',
      target: id,
      details: { doc: record.doc },
    });
    return c.json({ ok: true });
  });

  app.post('/api/links/:id/resync', async (c) => {
    const admin = await adminCaller(c, options.verify);
    const record = await stores.links.get(admin.tenant, c.req.param('id'));
    if (!record) return c.json({ error: 'link-not-found' }, 404);
    await options.links.resync(supervisedLink(record));
    await stores.audit.append({
      tenant: admin.tenant,
      actor: admin.sub,
      action: 'link.resync',
      target: record.id,
      details: {},
    });
    return c.json({ ok: true });
  });

  return app;
}
