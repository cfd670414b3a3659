import { Hono } from 'hono';
import { z } from 'zod';
import type { AuditRepo } from '../../admin/auditRepo.ts';
import type { RevocationsRepo } from '../../admin/revocationsRepo.ts';
import type { TokenVerifier } from '../../auth/tokenVerifier.ts';
import type { OpenConnections } from '../../collab/openConnections.ts';
import { adminCaller } from './adminCaller.ts';

const revokeBody = z.object({ sub: z.string().min(1).max(256) });

export interface RevocationRoutesOptions {
  verify: TokenVerifier;
  revocations: Pick<RevocationsRepo, 'revoke'>;
  audit: Pick<AuditRepo, 'append'>;
  connections: Pick<OpenConnections, 'closeEverywhere'>;
}

/**
 * `POST /api/revocations {sub}` (an admin of the tenant): the user's tokens issued until now stop working
 * everywhere. The revocation is stored first (so every instance refuses those tokens from then on, and after
 * a restart), then every open socket of the user on every instance is closed (`token-revoked`). A token
 * issued after the revocation is accepted again. Audited as `user.revoke`.
 */
export function revocationRoutes(options: RevocationRoutesOptions) {
  const app = new Hono();
  app.post('/api/revocations', async (c) => {
    const admin = await adminCaller(c, options.verify);
    const body = revokeBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success)
      return c.json({ error: 'invalid-revocation', message: 'give {sub}: the user id to revoke' }, 400);
    const { sub } = body.data;
    const revokedAt = await options.revocations.revoke(admin.tenant, sub, admin.sub);
    const closed = await options.connections.closeEverywhere(
      { tenant: admin.tenant, sub, issuedBefore: revokedAt },
      'token-revoked',
    );
    await options.audit.append({
      tenant: admin.tenant,
      actor: admin.sub,
      action: 'user.revoke',
      target: sub,
      details: { revokedAt, closedHere: closed },
    });
    return c.json({ sub, revokedAt }, 201);
  });
  return app;
}
