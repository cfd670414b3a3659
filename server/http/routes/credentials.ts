import { Hono } from 'hono';
import { z } from 'zod';
import { suiteFor } from '../../../connectors/suites.ts';
import type { AdminStores } from '../../admin/adminStores.ts';
import { credentialMetadataSchema } from '../../admin/credentialsRepo.ts';
import type { TokenVerifier } from '../../auth/tokenVerifier.ts';
import { adminCaller } from './adminCaller.ts';

/** What every credential body has; the rest is the suite's own schema (`Suite.credential.schema`). */
const credentialHead = z.looseObject({ provider: z.string(), name: z.string().trim().min(1).max(100) });

export interface CredentialRoutesOptions {
  verify: TokenVerifier;
  stores: AdminStores;
  /** Asks the provider for a token with the stored secret; resolves null when accepted, else the reason. */
  check(tenant: string, id: string): Promise<string | null>;
  /** A credential was deleted: whatever runs with it must stop. */
  onDeleted(tenant: string, id: string): Promise<void>;
}

/**
 * `POST /api/credentials` (secrets go in once, encrypted at rest, and never come out: the answer is the id and
 * a fingerprint), `GET /api/credentials` (metadata only), `POST /api/credentials/:id/verify`,
 * `DELETE /api/credentials/:id[?force=true]`. Every action is audited. Admins only, within their tenant.
 */
export function credentialRoutes(options: CredentialRoutesOptions) {
  const app = new Hono();
  const { stores } = options;

  app.post('/api/credentials', async (c) => {
    const admin = await adminCaller(c, options.verify);
    const raw: unknown = await c.req.json().catch(() => null);
    const head = credentialHead.safeParse(raw);
    if (!head.success)
      return c.json({ error: 'invalid-credential', message: head.error.issues[0]?.message }, 400);
    const suite = suiteFor(head.data.provider);
    if (!suite) return c.json({ error: 'invalid-credential', message: 'unknown provider' }, 400);
    const parsed = suite.credential.schema.safeParse(raw);
    if (!parsed.success)
      return c.json({ error: 'invalid-credential', message: parsed.error.issues[0]?.message }, 400);
    const { secret, metadata } = suite.credential.store(parsed.data);
    const { provider, name } = head.data;
    const created = await stores.credentials.create(admin.tenant, {
      provider,
      name,
      secret: JSON.stringify(secret),
      metadata: credentialMetadataSchema.parse(metadata),
      createdBy: admin.sub,
    });
    await stores.audit.append({
      tenant: admin.tenant,
      actor: admin.sub,
      action: 'credential.create',
      target: created.id,
      details: { provider, name, fingerprint: created.fingerprint },
    });
    return c.json(created, 201);
  });

  app.get('/api/credentials', async (c) => {
    const admin = await adminCaller(c, options.verify);
    return c.json({ credentials: await stores.credentials.list(admin.tenant) });
  });

  app.post('/api/credentials/:id/verify', async (c) => {
    const admin = await adminCaller(c, options.verify);
    const id = c.req.param('id');
    if (!(await stores.credentials.get(admin.tenant, id)))
      return c.json({ error: 'credential-not-found' }, 404);
    const problem = await options.check(admin.tenant, id);
    await stores.credentials.recordCheck(admin.tenant, id, problem);
    await stores.audit.append({
      tenant: admin.tenant,
      actor: admin.sub,
      action: 'credential.verify',
      target: id,
      details: { ok: problem === null },
    });
    return c.json(problem === null ? { ok: true } : { ok: false, error: problem });
  });

  app.delete('/api/credentials/:id', async (c) => {
    const admin = await adminCaller(c, options.verify);
    const id = c.req.param('id');
    const force = c.req.query('force') === 'true';
    const { deletedLinks } = await stores.credentials.delete(admin.tenant, id, { force });
    await options.onDeleted(admin.tenant, id);
    await stores.audit.append({
      tenant: admin.tenant,
      actor: admin.sub,
      action: 'credential.delete',
      target: id,
      details: { deletedLinks },
    });
    return c.json({ ok: true, deletedLinks });
  });

  return app;
}
