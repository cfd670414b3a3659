import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AuditRepo } from '../../admin/auditRepo.ts';
import type { DocumentsRepo } from '../../admin/documentsRepo.ts';
import { parseDocumentName, tenantPattern } from '../../auth/claims.ts';
import type { AccessChange } from '../../collab/openConnections.ts';
import type { Authenticate, Principal } from '../../identity/authenticator.ts';
import type { ShareRecord, SharesRepo } from '../../identity/sharesRepo.ts';
import { sessionCookie } from '../sessionCookie.ts';
import { allows, documentCaller } from './documentLinks.ts';
import { authenticateRequest } from './session.ts';

export interface ShareRoutesOptions {
  verify: Authenticate;
  shares: SharesRepo;
  documents: Pick<DocumentsRepo, 'get'>;
  audit: Pick<AuditRepo, 'append'>;
  accessChanged: (change: AccessChange) => Promise<void>;
}

const role = z.enum(['read', 'comment', 'edit']);
const shareBody = z.object({
  with: z.union([
    z.object({ user: z.string().trim().email().max(320) }).strict(),
    z.object({ tenant: z.string().regex(tenantPattern) }).strict(),
  ]),
  role,
});

/**
 * Who may share a document or make guest links for it: its owner (whoever created it) and the administrators
 * of its tenant. Everyone else, including users who reach it through a share or a guest link, may not
 * pass it on. Returns the caller and the document's tenant, or null when the caller may not manage it.
 */
export async function documentManager(
  c: Context,
  verify: Authenticate,
  documents: Pick<DocumentsRepo, 'get'>,
): Promise<{ caller: Principal; tenant: string; name: string } | null> {
  const { claims, name, tenant, role: held } = await documentCaller(c, verify);
  const caller = claims as Principal;
  if (!allows(held, 'read') || caller.guestLinkId || caller.tenant !== tenant) return null;
  const record = await documents.get(tenant, name);
  return caller.admin || (record !== null && record.createdBy === caller.sub)
    ? { caller, tenant, name }
    : null;
}

/**
 * Sharing one document: `POST /api/documents/<tenant>/<id>/shares { with: { user } | { tenant }, role }` ->
 * `{ id }` (sharing again with the same grantee changes the role), `GET` the list, `DELETE .../shares/<id>`.
 * A share with another tenant gives every signed-in user of that tenant the role; both tenants' audit logs
 * record the grant and its withdrawal. Withdrawing (or lowering) re-checks the document's open sockets.
 * `GET /api/documents/shared` lists what other tenants shared with the caller ("Shared with you").
 */
export function shareRoutes(options: ShareRoutesOptions) {
  const app = new Hono();
  const { shares, audit } = options;

  async function record(action: string, actor: Principal, share: ShareRecord) {
    const tenants = new Set([share.tenant, 'tenant' in share.with ? share.with.tenant : share.tenant]);
    for (const tenant of tenants) {
      await audit.append({
        tenant,
        actor: actor.sub,
        action,
        target: share.doc,
        details: { share: share.id, with: share.with, role: share.role, owner: share.tenant },
      });
    }
  }

  app.get('/api/documents/shared', async (c) => {
    const caller = await authenticateRequest(options.verify, c.req.header('authorization'), sessionCookie(c));
    const documents = [];
    for (const [name, granted] of Object.entries(caller.shared ?? {})) {
      const owner = parseDocumentName(name)?.tenant;
      if (!owner || owner === caller.tenant) continue;
      const record = await options.documents.get(owner, name);
      documents.push({ name, title: record?.title ?? name, role: granted, owner });
    }
    return c.json({ documents });
  });

  app.get('/api/documents/:tenant/:id/shares', async (c) => {
    const manager = await documentManager(c, options.verify, options.documents);
    if (!manager) return c.json({ error: 'document-not-granted' }, 403);
    return c.json({ shares: await shares.listByDoc(manager.tenant, manager.name) });
  });

  app.post('/api/documents/:tenant/:id/shares', async (c) => {
    const manager = await documentManager(c, options.verify, options.documents);
    if (!manager) return c.json({ error: 'document-not-granted' }, 403);
    const body = shareBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return c.json({ error: 'invalid-share', message: body.error.issues[0]?.message }, 400);
    const share = await shares.grant(
      manager.tenant,
      manager.name,
      body.data.with,
      body.data.role,
      manager.caller.sub,
    );
    await record('share.grant', manager.caller, share);
    // A lowered role must reach open sockets too (an editor becoming a reader).
    await options.accessChanged({ doc: manager.name });
    return c.json({ id: share.id }, 201);
  });

  app.delete('/api/documents/:tenant/:id/shares/:share', async (c) => {
    const manager = await documentManager(c, options.verify, options.documents);
    if (!manager) return c.json({ error: 'document-not-granted' }, 403);
    const share = await shares.withdraw(manager.tenant, manager.name, c.req.param('share'));
    await record('share.withdraw', manager.caller, share);
    await options.accessChanged({ doc: manager.name });
    return c.json({ ok: true });
  });

  return app;
}
