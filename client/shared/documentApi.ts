import * as z from 'zod/mini';
import { call } from './api.ts';
import { ApiError } from './apiError.ts';

/** One link's status, as the REST route answers and the server pushes it (`server/links/linkStatusBroadcast.ts`). */
export const linkStatusSchema = z.object({
  provider: z.string(),
  /** The suite's name as people read it, from the server's suite descriptor. */
  label: z.optional(z.string()),
  status: z.string(),
  statusDetail: z.nullable(z.string()),
  lastError: z.nullable(z.string()),
  lastSyncedAt: z.nullable(z.number()),
  remoteUrl: z.nullable(z.string()),
});
/** One link of a document as its users see it (`GET /api/documents/:tenant/:id/links`). */
export type LinkStatus = z.infer<typeof linkStatusSchema>;

/**
 * The sync status of every link of `name`. `token` is for pages without the session cookie (the embed
 * iframe), sent as a bearer token.
 */
export async function getLinkStatuses(name: string, token?: string): Promise<LinkStatus[]> {
  const init: RequestInit = token ? { headers: { authorization: `Bearer ${token}` } } : {};
  return (await call(`/api/documents/${name}/links`, z.object({ links: z.array(linkStatusSchema) }), init))
    .links;
}

const versionSchema = z.object({
  id: z.number(),
  name: z.nullable(z.string()),
  createdBy: z.nullable(z.string()),
  createdAt: z.number(),
});
/** A saved version of a document, without its content. */
export type VersionInfo = z.infer<typeof versionSchema>;

/** A page of versions, newest first; pass `next` as `before` for the following page. */
export function listVersions(
  name: string,
  before?: number | null,
): Promise<{ versions: VersionInfo[]; next: number | null }> {
  const query = before ? `?before=${before}` : '';
  return call(
    `/api/documents/${name}/versions${query}`,
    z.object({ versions: z.array(versionSchema), next: z.nullable(z.number()) }),
  );
}

/** Saves the current content as a version named `label`. */
export async function saveVersion(name: string, label: string): Promise<VersionInfo | null> {
  const schema = z.object({ version: z.nullable(versionSchema) });
  return (
    await call(`/api/documents/${name}/versions`, schema, {
      method: 'POST',
      body: JSON.stringify({ name: label }),
    })
  ).version;
}

/** Asks for an automatic version; the server saves one only when it is due and the content changed. */
export async function autoVersion(name: string): Promise<void> {
  await call(`/api/documents/${name}/versions`, z.object({}), {
    method: 'POST',
    body: JSON.stringify({ auto: true }),
  });
}

/** A version with its content (schema JSON), for a read-only preview. */
export function getVersion(
  name: string,
  id: number,
): Promise<{ version: VersionInfo; content: Record<string, unknown> }> {
  return call(
    `/api/documents/${name}/versions/${id}`,
    z.object({ version: versionSchema, content: z.record(z.string(), z.unknown()) }),
  );
}

/** Brings version `id` back as a new edit of the live document. */
export async function restoreVersion(name: string, id: number): Promise<void> {
  await call(`/api/documents/${name}/versions/${id}/restore`, z.object({ ok: z.boolean() }), {
    method: 'POST',
  });
}

/** The export formats, in the order the menu offers them. */
export const exportFormats = [
  { format: 'docx', label: 'Word (.docx)' },
  { format: 'odt', label: 'OpenDocument (.odt)' },
  { format: 'md', label: 'Markdown (.md)' },
  { format: 'html', label: 'Web page (.html)' },
] as const;

/** The address that downloads `name` converted to `format` (an attachment). */
export function exportUrl(name: string, format: (typeof exportFormats)[number]['format']): string {
  return `/api/documents/${name}/export?format=${format}`;
}

/** The file name a Content-Disposition header gives (the UTF-8 form first), else `fallback`. */
function attachmentName(header: string | null, fallback: string): string {
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(header ?? '')?.[1];
  if (utf8) {
    try {
      return decodeURIComponent(utf8);
    } catch {
      // fall through to the ASCII form
    }
  }
  return /filename="([^"]+)"/i.exec(header ?? '')?.[1] ?? fallback;
}

/**
 * Downloads `name` converted to `format`. The file is fetched like every API call (so the same credentials
 * apply, whether a session cookie or a portal's bearer token) and handed to the browser as a download;
 * a refusal rejects with ApiError instead of saving an error page as the file.
 */
export async function downloadExport(
  name: string,
  format: (typeof exportFormats)[number]['format'],
): Promise<string> {
  let response: Response;
  try {
    response = await fetch(exportUrl(name, format), { credentials: 'same-origin' });
  } catch {
    throw new ApiError('network-error', 0, 'The server could not be reached.');
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
    throw new ApiError(
      typeof body?.error === 'string' ? body.error : `http-${response.status}`,
      response.status,
    );
  }
  const filename = attachmentName(response.headers.get('content-disposition'), `document.${format}`);
  const url = URL.createObjectURL(await response.blob());
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  anchor.hidden = true;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return filename;
}

const importedSchema = z.object({
  name: z.string(),
  title: z.string(),
  warnings: z.array(z.object({ code: z.string(), message: z.string() })),
});

/** Imports a .docx, .odt, .md or .html file as a new document; rejects with the converter's code. */
export function importDocument(file: File): Promise<z.infer<typeof importedSchema>> {
  const form = new FormData();
  form.append('file', file, file.name);
  return call('/api/documents/import', importedSchema, { method: 'POST', body: form });
}
