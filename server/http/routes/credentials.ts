import { Hono } from 'hono';
import { z } from 'zod';
import { suiteFor } from '../../../connectors/suites.ts';
import type { AdminStores } from '../../admin/adminStores.ts';
import { credentialMetadataSchema } from '../../admin/credentialsRepo.ts';
import {
  checkCredentialEndpoints,
  EndpointNotAllowedError,
  type SuiteEndpointPolicies,
} from '../../admin/endpointPolicy.ts';
import type { TokenVerifier } from '../../auth/tokenVerifier.ts';
import { adminCaller } from './adminCaller.ts';

/** What every credential body has; the rest is the suite's own schema (`Suite.credential.schema`). */
const credentialHead = z.looseObject({ provider: z.string(), name: z.string().trim().min(1).max(100) });

export interface CredentialRoutesOptions {
  verify: TokenVerifier;
  stores: AdminStores;
  /** Where each suite's credentials may send secrets and tokens (refused at creation: 400 endpoint-not-allowed). */
  endpoints: SuiteEndpointPolicies;
  /** Asks the provider for a token with the stored secret; resolves null when accepted, else the reason. */
  check(tenant: string, id: string): Promise<string | null>;
  /** A credential was deleted: whatever runs with it must stop. */
  onDeleted(tenant: string, id: string): Promise<void>;
}

/**
 * `POST /api/credentials` (secrets go in once, encrypted at rest, and never come out: the answer is the id and
 * a fingerprint), `GET /api/credentials` (metadata only, with the suite's summary of each and its advice on a
 * refusal), `POST /api/credentials/:id/verify`,
 * `DELETE /api/credentials/:id[?force=true]`. Endpoints off the suite's hosts are refused with
 * `400 endpoint-not-allowed`; a failed verify answers a stable code and a generic message, never the remote's
 * own text. Every action is audited. Admins only, within their tenant.
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
    if (!parsed.success) {
      // `field` names the body property at fault (the form shows the message beside it); never its value.
      const issue = parsed.error.issues[0];
      return c.json(
        { error: 'invalid-credential', message: issue?.message, field: issue?.path.join('.') ?? '' },
        400,
      );
    }
    const { secret, metadata } = suite.credential.store(parsed.data);
    const { provider, name } = head.data;
    try {
      await checkCredentialEndpoints(options.endpoints, suite, { secret: JSON.stringify(secret), metadata });
    } catch (error) {
      if (error instanceof EndpointNotAllowedError)
        return c.json({ error: 'endpoint-not-allowed', message: error.message }, 400);
      throw error;
    }
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
    const credentials = await stores.credentials.list(admin.tenant);
    return c.json({
      credentials: credentials.map((credential) => {
        const suite = suiteFor(credential.provider);
        return {
          ...credential,
          summary: suite?.credential.summary(credential.metadata) ?? null,
          advice:
            suite && credential.lastError
              ? suite.credential.advice(credential.metadata, credential.lastError)
              : null,
        };
      }),
    });
  });

  app.post('/api/credentials/:id/verify', async (c) => {
    const admin = await adminCaller(c, options.verify);
    const id = c.req.param('id');
    const credential = await stores.credentials.get(admin.tenant, id);
    if (!credential) return c.json({ error: 'credential-not-found' }, 404);
    const problem = await options.check(admin.tenant, id);
    await stores.credentials.recordCheck(admin.tenant, id, problem);
    await stores.audit.append({
      tenant: admin.tenant,
      actor: admin.sub,
      action: 'credential.verify',
      target: id,
      details: { ok: problem === null },
    });
    if (problem === null) return c.json({ ok: true });
    const advice = suiteFor(credential.provider)?.credential.advice(credential.metadata, problem) ?? null;
    return c.json({ ok: false, error: problem, advice });
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
