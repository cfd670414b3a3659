import type { Context } from 'hono';
import type { GraphFaults } from './faults.ts';
import { graphError } from './graphErrors.ts';
import type { AccessToken, CallKind, Drive, DriveItem, FileRole, GraphState } from './graphState.ts';

type Guarded<T> = T | { response: Response };

/**
 * What every Graph call goes through: counting, injected faults (429/503 with Retry-After, delays), then
 * bearer authentication. Returns the caller's token, or the response to send.
 */
export async function guard(
  c: Context,
  state: GraphState,
  faults: GraphFaults,
  kind: CallKind,
): Promise<Guarded<{ token: AccessToken }>> {
  state.count(kind);
  const fault = faults.take(kind);
  if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  if (fault?.status === 429) {
    return {
      response: graphError(c, 429, 'TooManyRequests', 'Please retry after', {
        'Retry-After': String(fault.retryAfterSeconds ?? 1),
      }),
    };
  }
  if (fault?.status === 500) {
    return { response: graphError(c, 500, 'generalException', 'An unspecified error has occurred.') };
  }
  if (fault?.status === 503) {
    const headers: Record<string, string> = {};
    if (fault.retryAfterSeconds !== undefined) headers['Retry-After'] = String(fault.retryAfterSeconds);
    return {
      response: graphError(c, 503, 'serviceNotAvailable', 'The service is temporarily unavailable.', headers),
    };
  }
  const bearer = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
  if (!bearer)
    return { response: graphError(c, 401, 'InvalidAuthenticationToken', 'Access token is empty.') };
  const token = state.tokens.get(bearer);
  if (!token) {
    return {
      response: graphError(c, 401, 'InvalidAuthenticationToken', 'IDX14100: JWT is not well formed.'),
    };
  }
  if (!state.apps.has(`${token.tenantId}/${token.clientId}`)) {
    return {
      response: graphError(
        c,
        401,
        'InvalidAuthenticationToken',
        'The application no longer exists in the directory.',
      ),
    };
  }
  if (token.expiresAt <= Date.now()) {
    return {
      response: graphError(
        c,
        401,
        'InvalidAuthenticationToken',
        'Lifetime validation failed, the token is expired.',
      ),
    };
  }
  return { token };
}

/**
 * The drive, if the token may use it: same tenant, and for an app-only token `Files.ReadWrite.All` or a
 * granted site. A delegated token reaches the drive; each file then checks the user's own permission.
 */
export function driveFor(
  c: Context,
  state: GraphState,
  token: AccessToken,
  id: string,
): Guarded<{ drive: Drive }> {
  const drive = state.drives.get(id);
  if (!drive || drive.tenantId !== token.tenantId) {
    return { response: graphError(c, 404, 'itemNotFound', 'The resource could not be found.') };
  }
  if (token.user) return { drive };
  const app = state.apps.get(`${token.tenantId}/${token.clientId}`);
  const allowed =
    token.roles.includes('Files.ReadWrite.All') ||
    (token.roles.includes('Sites.Selected') && !!app?.sites.has(drive.siteId));
  if (!allowed) return { response: graphError(c, 403, 'accessDenied', 'Access denied') };
  return { drive };
}

/** The live item of a drive, or Graph's 404. */
export function itemFor(c: Context, drive: Drive, id: string): Guarded<{ item: DriveItem }> {
  const item = drive.items.get(id);
  if (!item || item.deleted) {
    return { response: graphError(c, 404, 'itemNotFound', 'The resource could not be found.') };
  }
  return { item };
}

/**
 * A delegated caller's own access to `item`: reading needs any permission, writing `write` or `owner`; Graph
 * answers 403 `accessDenied` otherwise. App-only tokens were checked at the drive.
 */
export function userMay(
  c: Context,
  token: AccessToken,
  item: DriveItem,
  need: 'read' | 'write',
): Response | null {
  if (!token.user) return null;
  const role: FileRole | undefined = item.permissions.get(token.user.upn);
  if (role && (need === 'read' || role !== 'read')) return null;
  return graphError(c, 403, 'accessDenied', 'Access denied');
}

/** 423 while someone holds the file open in Word: Graph has no way to force the write. */
export function lockedResponse(c: Context, item: DriveItem): Response | null {
  if (!item.lockedBy) return null;
  return graphError(
    c,
    423,
    'resourceLocked',
    `The resource you are attempting to access is locked. It is open for editing by ${item.lockedBy}.`,
  );
}
