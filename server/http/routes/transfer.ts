import type { Hocuspocus } from '@hocuspocus/server';
import type { JSONContent } from '@tiptap/core';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { ConversionError } from '../../../connectors/model/errors.ts';
import type { ConversionWarning } from '../../../connectors/model/warnings.ts';
import { AdminStoreError } from '../../admin/adminStoreError.ts';
import type { DocumentsRepo } from '../../admin/documentsRepo.ts';
import { roleFor } from '../../auth/claims.ts';
import type { TokenVerifier } from '../../auth/tokenVerifier.ts';
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

/** The converters of every format `export` writes and `import` reads. */
type Converters = typeof import('../../../connectors/formats/html.ts') &
  typeof import('../../../connectors/formats/markdown.ts') &
  typeof import('../../../connectors/formats/odt.ts') &
  typeof import('../../../connectors/microsoft/docx/index.ts');

/**
 * The converters, imported on the first export or import rather than at start (the module loader keeps
 * them after that): with their XML, zip and Markdown libraries and the DOM the HTML converter parses into,
 * they would be a large part of what an idle server holds.
 */
async function converters(): Promise<Converters> {
  const [html, markdown, odt, docx] = await Promise.all([
    import('../../../connectors/formats/html.ts'),
    import('../../../connectors/formats/markdown.ts'),
    import('../../../connectors/formats/odt.ts'),
    import('../../../connectors/microsoft/docx/index.ts'),
  ]);
  return { ...html, ...markdown, ...odt, ...docx };
}

const exportFormats = {
  docx: {
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    write: (m: Converters, doc: JSONContent) => m.writeDocx(doc),
  },
  odt: {
    type: 'application/vnd.oasis.opendocument.text',
    write: (m: Converters, doc: JSONContent) => m.writeOdt(doc),
  },
  md: {
    type: 'text/markdown; charset=utf-8',
    write: (m: Converters, doc: JSONContent) => {
      const { text, warnings } = m.writeMarkdown(doc);
      return { bytes: new TextEncoder().encode(text), warnings };
    },
  },
  html: {
    type: 'text/html; charset=utf-8',
    write: (m: Converters, doc: JSONContent, title?: string) => {
      const { html, warnings } = m.writeHtml(doc, title ? { title } : {});
      return { bytes: new TextEncoder().encode(html), warnings };
    },
  },
} as const;
type ExportFormat = keyof typeof exportFormats;
const formatSchema = z.enum(['docx', 'odt', 'md', 'html']);

type Reader = (m: Converters, bytes: Uint8Array) => { doc: JSONContent; warnings: ConversionWarning[] };
const utf8 = (bytes: Uint8Array) => new TextDecoder('utf-8', { fatal: true }).decode(bytes);
/** Importers by file extension. Each throws ConversionError with a stable code on input it refuses. */
const importers: Record<string, Reader> = {
  docx: (m, bytes) => m.readDocx(bytes),
  odt: (m, bytes) => m.readOdt(bytes),
  md: (m, bytes) => m.readMarkdown(utf8(bytes)),
  markdown: (m, bytes) => m.readMarkdown(utf8(bytes)),
  html: (m, bytes) => m.readHtml(utf8(bytes)),
};

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
  documents: Pick<DocumentsRepo, 'get' | 'create'>;
  hocuspocus: Hocuspocus;
}

/**
 * Export and import. `GET /api/documents/:tenant/:id/export?format=docx|odt|md|html` converts the live
 * content server-side (read role suffices) and answers it as an attachment, with the converter's warning
 * codes in `Docbridge-Warnings`. `POST /api/documents/import` (multipart field `file`, or a raw body with
 * `?filename=`; at most 10 MiB) converts a .docx, .odt, .md or .html file into a NEW document of the
 * caller's tenant; a file the converters refuse is a 400 with their stable code.
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
    const record = await options.documents.get(caller.claims.tenant, caller.name);
    const title = record?.title ?? caller.name.split('/')[1]!;
    const { bytes, warnings } = exportFormats[format.data].write(await converters(), doc, title);
    c.header('Content-Type', exportFormats[format.data].type);
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
      const file = await uploadedFile(c.req.raw, new URL(c.req.url));
      if (!file)
        return c.json({ error: 'file-missing', message: 'send a multipart field "file" or ?filename=' }, 400);
      if (file.bytes.byteLength > MAX_IMPORT_BYTES)
        return c.json(
          { error: 'file-too-large', message: `files above ${MAX_IMPORT_BYTES} bytes are refused` },
          413,
        );
      const extension = /\.([A-Za-z0-9]+)$/.exec(file.filename)?.[1]?.toLowerCase() ?? '';
      const read = importers[extension];
      if (!read)
        return c.json(
          { error: 'unsupported-format', message: 'import a .docx, .odt, .md or .html file' },
          400,
        );
      const loaded = await converters();
      let converted: { doc: JSONContent; warnings: ConversionWarning[] };
      try {
        converted = read(loaded, file.bytes);
      } catch (error) {
        if (error instanceof ConversionError)
          return c.json({ error: 'invalid-file', code: error.code, message: error.message }, 400);
        if (error instanceof TypeError && /encoded data|decode/i.test(error.message))
          return c.json(
            { error: 'invalid-file', code: 'TEXT_NOT_UTF8', message: 'the file is not UTF-8 text' },
            400,
          );
        return c.json(
          { error: 'invalid-file', code: 'FILE_UNREADABLE', message: 'the file could not be read' },
          400,
        );
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
        await applyAsEdit(options.hocuspocus, name, converted.doc, httpContext('import', claims.sub));
        return c.json({ name, title, role: 'edit' as const, warnings: converted.warnings }, 201);
      }
      return c.json({ error: 'document-exists' }, 409);
    },
  );

  return app;
}
