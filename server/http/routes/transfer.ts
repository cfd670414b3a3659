import type { Hocuspocus } from '@hocuspocus/server';
import type { JSONContent } from '@tiptap/core';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import * as Y from 'yjs';
import { z } from 'zod';
import { isPackageFormat } from '../../../connectors/formats/packageFormat.ts';
import { ConversionError } from '../../../connectors/model/errors.ts';
import { AdminStoreError } from '../../admin/adminStoreError.ts';
import type { DocumentsRepo } from '../../admin/documentsRepo.ts';
import { type Claims, roleFor } from '../../auth/claims.ts';
import type { TokenVerifier } from '../../auth/tokenVerifier.ts';
import {
  ConversionBusyError,
  ConversionLimitError,
  type ConversionPool,
} from '../../convert/conversionPool.ts';
import type { Exported, ImportedUpdates } from '../../convert/conversions.ts';
import { canImport, type ExportFormat, exportTypes } from '../../convert/formats.ts';
import { newDocumentId } from './documentId.ts';
import { allows, documentCaller } from './documentLinks.ts';
import { authenticateRequest, SESSION_COOKIE } from './session.ts';

/** Largest file `POST /api/documents/import` accepts (the converters bound what is inside it further). */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

/** Who opens the live document for a read or an edit made by an HTTP request (Hocuspocus context). */
const httpContext = (purpose: string, user: string) => ({ http: purpose, user });

/**
 * Runs `use` on the live Yjs document `name` through a Hocuspocus direct connection: what connected editors
 * see, including changes not yet compacted; a document nobody has open is loaded from storage and unloaded
 * afterwards. Changes made in `use` are ordinary edits: logged durably, broadcast to every client, and
 * pushed to linked remotes like a web user's.
 */
export async function withLiveDocument<T>(
  hocuspocus: Hocuspocus,
  name: string,
  context: Record<string, string>,
  use: (connection: Awaited<ReturnType<Hocuspocus['openDirectConnection']>>) => Promise<T> | T,
): Promise<T> {
  const connection = await hocuspocus.openDirectConnection(name, context);
  try {
    return await use(connection);
  } finally {
    await connection.disconnect();
  }
}

/** Replaces the live content of `name` with `json` as one new edit (minimal Yjs changes, never a rewrite). */
export async function applyAsEdit(
  hocuspocus: Hocuspocus,
  name: string,
  json: JSONContent,
  context: Record<string, string>,
): Promise<void> {
  const { applyJsonToFragment, documentFragment } = await import('../../../connectors/model/yjs.ts');
  return withLiveDocument(hocuspocus, name, context, (connection) =>
    connection.transact((document) => applyJsonToFragment(documentFragment(document), json)),
  );
}

const formatSchema = z.enum(['docx', 'odt', 'md', 'html']);

/**
 * True when the claims could edit some document created in their own tenant (an `edit` grant on a prefix
 * covering new ids). Checked before the upload is read, so a token without that grant costs no conversion.
 */
function mayCreateDocuments(claims: Claims): boolean {
  const tenantPrefix = `${claims.tenant}/`;
  return Object.entries(claims.docs).some(
    ([pattern, role]) =>
      role === 'edit' &&
      pattern.endsWith('*') &&
      (tenantPrefix.startsWith(pattern.slice(0, -1)) || pattern.startsWith(tenantPrefix)),
  );
}

/** A conversion that did not give a document, as the API answers it. */
function conversionFailure(error: unknown) {
  if (error instanceof ConversionBusyError)
    return { status: 503 as const, body: { error: 'conversion-busy', message: 'try again in a moment' } };
  if (error instanceof ConversionLimitError)
    return {
      status: 422 as const,
      body: { error: 'conversion-limit', code: error.code, message: error.message },
    };
  if (error instanceof ConversionError)
    return {
      status: 400 as const,
      body: { error: 'invalid-file', code: error.code, message: error.message },
    };
  throw error;
}

/** A file name safe in a Content-Disposition header: ASCII fallback plus the RFC 5987 UTF-8 form. */
function attachment(title: string, extension: ExportFormat): string {
  const base =
    [...title]
      .map((char) => (char.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(char) ? ' ' : char))
      .join('')
      .trim() || 'document';
  const full = `${base.slice(0, 120)}.${extension}`;
  const ascii = full.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(full)}`;
}

/** The uploaded file of an import request: multipart field `file`, or the raw body named by `?filename=`. */
async function uploadedFile(req: Request, url: URL): Promise<{ filename: string; bytes: Uint8Array } | null> {
  const type = req.headers.get('content-type') ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await req.formData().catch(() => null);
    const file = form?.get('file');
    if (!file || typeof file === 'string') return null;
    return { filename: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
  }
  const filename = url.searchParams.get('filename') ?? req.headers.get('x-filename');
  if (!filename) return null;
  return { filename, bytes: new Uint8Array(await req.arrayBuffer()) };
}

export interface TransferRoutesOptions {
  verify: TokenVerifier;
  documents: Pick<DocumentsRepo, 'get' | 'create' | 'saveBase' | 'base'>;
  hocuspocus: Hocuspocus;
  /** Where imports and exports are converted: worker threads with memory and time limits. */
  conversions: ConversionPool;
}

/**
 * Export and import. `GET /api/documents/:tenant/:id/export?format=docx|odt|md|html` converts the live
 * content server-side (read role suffices) and answers it as an attachment, with the converter's warning
 * codes in `Docbridge-Warnings`; a document imported from a .docx or .odt is written over that original file
 * when exported to the same format. `POST /api/documents/import` (multipart field `file`, or a raw body with
 * `?filename=`; at most 10 MiB) converts a .docx, .odt, .md or .html file into a NEW document of the
 * caller's tenant; a file the converters refuse is a 400 with their stable code. The caller's right to
 * create a document is checked before the upload is read. Conversions run in worker threads: one stopped by
 * its memory or time limit is a 422 `conversion-limit`, all workers busy a 503 `conversion-busy`.
 */
export function transferRoutes(options: TransferRoutesOptions) {
  const app = new Hono();

  app.get('/api/documents/:tenant/:id/export', async (c) => {
    const caller = await documentCaller(c, options.verify);
    if (!allows(caller.role, 'read')) return c.json({ error: 'document-not-granted' }, 403);
    const format = formatSchema.safeParse(c.req.query('format'));
    if (!format.success)
      return c.json({ error: 'invalid-format', message: 'format must be docx, odt, md or html' }, 400);
    const { fromYjs } = await import('../../../connectors/model/yjs.ts');
    const doc = await withLiveDocument(
      options.hocuspocus,
      caller.name,
      httpContext('export', caller.claims.sub),
      (connection) => fromYjs(connection.document!),
    );
    const record = await options.documents.get(caller.tenant, caller.name);
    const title = record?.title ?? caller.name.split('/')[1]!;
    const base = await options.documents.base(caller.tenant, caller.name);
    let exported: Exported;
    try {
      exported = await options.conversions.exportDocument(format.data, doc, title, base);
    } catch (error) {
      const failure = conversionFailure(error);
      return c.json(failure.body, failure.status);
    }
    const { bytes, warnings } = exported;
    c.header('Content-Type', exportTypes[format.data]);
    c.header('Content-Disposition', attachment(title, format.data));
    c.header('Cache-Control', 'no-store');
    if (warnings.length) c.header('Docbridge-Warnings', warnings.map((w) => w.code).join(','));
    return c.body(bytes.slice().buffer as ArrayBuffer);
  });

  app.post(
    '/api/documents/import',
    bodyLimit({
      maxSize: MAX_IMPORT_BYTES + 64 * 1024,
      onError: (c) =>
        c.json(
          { error: 'file-too-large', message: `files above ${MAX_IMPORT_BYTES} bytes are refused` },
          413,
        ),
    }),
    async (c) => {
      const claims = await authenticateRequest(
        options.verify,
        c.req.header('authorization'),
        getCookie(c, SESSION_COOKIE),
      );
      if (!mayCreateDocuments(claims)) return c.json({ error: 'document-not-granted' }, 403);
      const file = await uploadedFile(c.req.raw, new URL(c.req.url));
      if (!file)
        return c.json({ error: 'file-missing', message: 'send a multipart field "file" or ?filename=' }, 400);
      if (file.bytes.byteLength > MAX_IMPORT_BYTES)
        return c.json(
          { error: 'file-too-large', message: `files above ${MAX_IMPORT_BYTES} bytes are refused` },
          413,
        );
      const extension = /\.([A-Za-z0-9]+)$/.exec(file.filename)?.[1]?.toLowerCase() ?? '';
      if (!canImport(extension))
        return c.json(
          { error: 'unsupported-format', message: 'import a .docx, .odt, .md or .html file' },
          400,
        );
      // The worker takes the upload's buffer (transferred, not copied): a package kept as the document's
      // base needs its own copy.
      const original = isPackageFormat(extension) ? file.bytes.slice() : null;
      let converted: ImportedUpdates;
      try {
        converted = await options.conversions.importFile(extension, file.bytes);
      } catch (error) {
        const failure = conversionFailure(error);
        return c.json(failure.body, failure.status);
      }
      const title =
        (c.req.query('title') ?? file.filename.replace(/\.[^.]+$/, '')).trim().slice(0, 200) || 'Imported';
      for (let attempt = 0; attempt < 3; attempt++) {
        const name = `${claims.tenant}/${newDocumentId(title)}`;
        if (roleFor(claims, name) !== 'edit') return c.json({ error: 'document-not-granted' }, 403);
        try {
          await options.documents.create(claims.tenant, { name, title, createdBy: claims.sub });
        } catch (error) {
          if (error instanceof AdminStoreError && error.code === 'DOCUMENT_EXISTS') continue;
          throw error;
        }
        // The file itself is kept as the document's base before any content lands, so a version saved
        // from the first edit on already carries it.
        if (original && isPackageFormat(extension))
          await options.documents.saveBase(claims.tenant, name, { format: extension, bytes: original });
        await withLiveDocument(options.hocuspocus, name, httpContext('import', claims.sub), async (live) => {
          // One update per few hundred blocks, yielding in between: a long import never stalls other sockets.
          for (const update of converted.updates) {
            await live.transact((document) => Y.applyUpdate(document, update));
            await new Promise((resolve) => setImmediate(resolve));
          }
        });
        return c.json({ name, title, role: 'edit' as const, warnings: converted.warnings }, 201);
      }
      return c.json({ error: 'document-exists' }, 409);
    },
  );

  return app;
}
