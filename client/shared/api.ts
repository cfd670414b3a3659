import * as z from 'zod/mini';
import { ApiError } from './apiError.ts';

const sessionSchema = z.object({
  user: z.object({
    id: z.string(),
    name: z.string(),
    tenant: z.string(),
    admin: z.boolean(),
    guest: z.optional(z.boolean()),
  }),
  docs: z.record(z.string(), z.enum(['read', 'comment', 'edit'])),
  csrfToken: z.optional(z.nullable(z.string())),
});
/** Who is signed in (`GET /api/session`). */
export type Session = z.infer<typeof sessionSchema>;

const roleSchema = z.enum(['read', 'comment', 'edit']);

const tokenSchema = z.object({
  token: z.string().check(z.minLength(1)),
  expiresIn: z.number().check(z.positive()),
});

const documentSchema = z.object({ name: z.string(), title: z.string(), role: roleSchema });
/** One entry of the documents list, as the server describes it. */
export type DocumentSummary = z.infer<typeof documentSchema>;

/**
 * Calls the same-origin API with the session cookie, validates the JSON answer with `schema`, and turns a
 * refusal into an ApiError carrying the server's reason.
 */
export async function call<T>(path: string, schema: z.ZodMiniType<T>, init: RequestInit = {}): Promise<T> {
  let response: Response;
  const method = (init.method ?? 'GET').toUpperCase();
  const csrf = method === 'GET' || method === 'HEAD' ? {} : await csrfHeader();
  try {
    response = await fetch(path, {
      credentials: 'same-origin',
      ...init,
      headers: {
        accept: 'application/json',
        ...(typeof init.body === 'string' ? { 'content-type': 'application/json' } : {}),
        ...csrf,
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  } catch {
    throw new ApiError('network-error', 0, 'The server could not be reached.');
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const reason = z
      .object({
        error: z.string(),
        message: z.optional(z.string()),
        code: z.optional(z.string()),
        field: z.optional(z.string()),
      })
      .safeParse(body);
    if (!reason.success) throw new ApiError(`http-${response.status}`, response.status);
    const { error, message, code, field } = reason.data;
    throw new ApiError(error, response.status, message, code, field);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new ApiError('bad-response', response.status, 'Unexpected answer from the server.');
  return parsed.data;
}

let csrfToken: Promise<string | null> | null = null;

/**
 * The session's anti-CSRF token as a header for state-changing calls (the server refuses them without it when
 * the session cookie authenticates them); none for bearer-token callers.
 */
async function csrfHeader(): Promise<Record<string, string>> {
  csrfToken ??= getSession().then(
    (session) => session.csrfToken ?? null,
    () => null,
  );
  const token = await csrfToken;
  return token ? { 'x-csrf-token': token } : {};
}

/** The signed-in user; rejects with ApiError (status 401) when nobody is signed in. */
export async function getSession(): Promise<Session> {
  const session = await call('/api/session', sessionSchema);
  csrfToken = Promise.resolve(session.csrfToken ?? null);
  return session;
}

/** Ends the session on the server (its sockets close) and forgets it here. */
export async function signOut(): Promise<void> {
  await call('/api/session/signout', z.unknown(), { method: 'POST' }).catch(() => undefined);
  csrfToken = null;
}

const providersSchema = z.object({
  local: z.boolean(),
  providers: z.array(z.object({ id: z.string(), label: z.string(), href: z.string() })),
});
/** The sign-in buttons the server offers (one per configured OpenID Provider). */
export function signInProviders(): Promise<z.infer<typeof providersSchema>> {
  return call('/api/auth/providers', providersSchema);
}

const sharedSchema = z.object({
  documents: z.array(z.object({ name: z.string(), title: z.string(), role: roleSchema, owner: z.string() })),
});
/** Documents other departments shared with the signed-in user ("Shared with you"). */
export async function listSharedDocuments(): Promise<z.infer<typeof sharedSchema>['documents']> {
  return (await call('/api/documents/shared', sharedSchema)).documents;
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
