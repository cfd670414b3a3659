import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { AdminStoreError } from '../../admin/adminStoreError.ts';
import type { DocumentRecord, DocumentsRepo } from '../../admin/documentsRepo.ts';
import { type Claims, parseDocumentName, type Role, roleFor } from '../../auth/claims.ts';
import type { TokenVerifier } from '../../auth/tokenVerifier.ts';
import { newDocumentId } from './documentId.ts';
import { authenticateRequest, SESSION_COOKIE } from './session.ts';

export interface DocumentRoutesOptions {
  verify: TokenVerifier;
  documents: Pick<DocumentsRepo, 'list' | 'get' | 'create' | 'ensure' | 'rename'>;
}

const titleBody = z.object({ title: z.string().trim().min(1).max(200) });

/** What the web client is told about one document. */
interface DocumentSummary {
  name: string;
  title: string;
  role: Role;
}

/** Upper bound of the list the documents page shows; the page is not a search tool. */
const LIST_LIMIT = 2000;

/**
 * The documents API of the web client, for the signed-in user (session cookie) or a bearer token:
 * `GET /api/documents` lists the documents of the caller's tenant it has a role on, newest change first;
 * `POST /api/documents {title}` creates one (the caller needs `edit` on the new name, e.g. an `<tenant>/*`
 * edit grant); `GET`/`PATCH /api/documents/:tenant/:id` read and rename (rename needs `edit`). Another
 * tenant's documents are never listed nor reachable: `roleFor` grants nothing across tenants.
 */
export function documentRoutes(options: DocumentRoutesOptions) {
  const app = new Hono();
  const caller = (c: { req: { header(name: string): string | undefined } }, cookie: string | undefined) =>
    authenticateRequest(options.verify, c.req.header('authorization'), cookie);

  app.get('/api/documents', async (c) => {
    const claims = await caller(c, getCookie(c, SESSION_COOKIE));
    const records: DocumentRecord[] = [];
    let after: string | null = null;
    do {
      const page = await options.documents.list(claims.tenant, { limit: 500, after });
      records.push(...page.items);
      after = page.next;
    } while (after && records.length < LIST_LIMIT);
    const documents = records
      .sort((a, b) => b.updatedAt - a.updatedAt || a.name.localeCompare(b.name))
      .flatMap((record) => summary(claims, record.name, record.title));
    return c.json({ documents });
  });

  app.post('/api/documents', async (c) => {
    const claims = await caller(c, getCookie(c, SESSION_COOKIE));
    const body = titleBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return c.json({ error: 'invalid-title' }, 400);
    for (let attempt = 0; attempt < 3; attempt++) {
      const name = `${claims.tenant}/${newDocumentId(body.data.title)}`;
      if (roleFor(claims, name) !== 'edit') return c.json({ error: 'document-not-granted' }, 403);
      try {
        const record = await options.documents.create(claims.tenant, {
          name,
          title: body.data.title,
          createdBy: claims.sub,
        });
        return c.json(summary(claims, record.name, record.title)[0], 201);
      } catch (error) {
        if (!(error instanceof AdminStoreError && error.code === 'DOCUMENT_EXISTS')) throw error;
      }
    }
    return c.json({ error: 'document-exists' }, 409);
  });

  app.get('/api/documents/:tenant/:id', async (c) => {
    const claims = await caller(c, getCookie(c, SESSION_COOKIE));
    const name = `${c.req.param('tenant')}/${c.req.param('id')}`;
    const parsed = parseDocumentName(name);
    const role = roleFor(claims, name);
    if (!parsed || !role) return c.json({ error: 'document-not-granted' }, 403);
    const record = await options.documents.get(parsed.tenant, name);
    return c.json({ name, title: record?.title ?? parsed.id, role });
  });

  app.patch('/api/documents/:tenant/:id', async (c) => {
    const claims = await caller(c, getCookie(c, SESSION_COOKIE));
    const name = `${c.req.param('tenant')}/${c.req.param('id')}`;
    const parsed = parseDocumentName(name);
    if (!parsed || roleFor(claims, name) !== 'edit') return c.json({ error: 'document-not-granted' }, 403);
    const body = titleBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return c.json({ error: 'invalid-title' }, 400);
    // A granted document that was opened by name but never registered is registered by its first rename.
    await options.documents.ensure(parsed.tenant, { name, title: body.data.title, createdBy: claims.sub });
    const record = await options.documents.rename(parsed.tenant, name, body.data.title);
    return c.json(summary(claims, record.name, record.title)[0]);
  });

  return app;
}

function summary(claims: Claims, name: string, title: string): DocumentSummary[] {
  const role = roleFor(claims, name);
  return role ? [{ name, title, role }] : [];
}
