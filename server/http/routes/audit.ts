import { Hono } from 'hono';
import type { AuditRepo } from '../../admin/auditRepo.ts';
import type { TokenVerifier } from '../../auth/tokenVerifier.ts';
import { adminCaller } from './adminCaller.ts';

/** `GET /api/audit?limit=&before=`: the tenant's audit log, newest first, a page at a time. Admins only. */
export function auditRoutes(options: { verify: TokenVerifier; audit: AuditRepo }) {
  const app = new Hono();
  app.get('/api/audit', async (c) => {
    const admin = await adminCaller(c, options.verify);
    const limit = Number(c.req.query('limit') ?? 50);
    const before = Number(c.req.query('before') ?? 0);
    const page = await options.audit.list(admin.tenant, {
      limit: Number.isFinite(limit) ? limit : 50,
      before: Number.isFinite(before) && before > 0 ? before : null,
    });
    return c.json({ entries: page.items, next: page.next });
  });
  return app;
}
