import * as z from 'zod/mini';
import { ApiError } from './apiError.ts';

const sessionSchema = z.object({
  user: z.object({ id: z.string(), name: z.string(), tenant: z.string(), admin: z.boolean() }),
  docs: z.record(z.string(), z.enum(['read', 'comment', 'edit'])),
});
/** Who is signed in (`GET /api/session`). */
export type Session = z.infer<typeof sessionSchema>;

const tokenSchema = z.object({
  token: z.string().check(z.minLength(1)),
  expiresIn: z.number().check(z.positive()),
});

const roleSchema = z.enum(['read', 'comment', 'edit']);
const documentSchema = z.object({ name: z.string(), title: z.string(), role: roleSchema });
/** One entry of the documents list, as the server describes it. */
export type DocumentSummary = z.infer<typeof documentSchema>;

/**
 * Calls the same-origin API with the session cookie, validates the JSON answer with `schema`, and turns a
 * refusal into an ApiError carrying the server's reason.
 */
export async function call<T>(path: string, schema: z.ZodMiniType<T>, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      credentials: 'same-origin',
      ...init,
      headers: {
        accept: 'application/json',
        ...(typeof init.body === 'string' ? { 'content-type': 'application/json' } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  } catch {
    throw new ApiError('network-error', 0, 'The server could not be reached.');
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const reason = z
      .object({ error: z.string(), message: z.optional(z.string()), code: z.optional(z.string()) })
      .safeParse(body);
    if (!reason.success) throw new ApiError(`http-${response.status}`, response.status);
    throw new ApiError(reason.data.error, response.status, reason.data.message, reason.data.code);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new ApiError('bad-response', response.status, 'Unexpected answer from the server.');
  return parsed.data;
}

/** The signed-in user; rejects with ApiError (status 401) when nobody is signed in. */
export function getSession(): Promise<Session> {
  return call('/api/session', sessionSchema);
}

/**
 * A token source for the WebSocket: asks `POST /api/session/token` for a one-hour token and reuses it until
 * a minute before it expires, so every reconnection sends a valid token without a request each time.
 */
export function sessionTokenSource(): () => Promise<string> {
  let cached: { token: string; renewAt: number } | null = null;
  return async () => {
    if (cached && Date.now() < cached.renewAt) return cached.token;
    const { token, expiresIn } = await call('/api/session/token', tokenSchema, { method: 'POST' });
    cached = { token, renewAt: Date.now() + Math.max(0, expiresIn - 60) * 1000 };
    return token;
  };
}

/** The documents the signed-in user can open, most recently changed first (server order). */
export async function listDocuments(): Promise<DocumentSummary[]> {
  return (await call('/api/documents', z.object({ documents: z.array(documentSchema) }))).documents;
}

/** One document's title and the caller's role on it. */
export function getDocument(name: string): Promise<DocumentSummary> {
  return call(`/api/documents/${name}`, documentSchema);
}

/** Creates a document titled `title` in the user's tenant and returns its summary. */
export function createDocument(title: string): Promise<DocumentSummary> {
  return call('/api/documents', documentSchema, { method: 'POST', body: JSON.stringify({ title }) });
}

/** Renames a document (its name, and so its address, never changes). */
export function renameDocument(name: string, title: string): Promise<DocumentSummary> {
  return call(`/api/documents/${name}`, documentSchema, { method: 'PATCH', body: JSON.stringify({ title }) });
}
