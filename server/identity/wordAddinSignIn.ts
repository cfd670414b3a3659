import { AddinTokenVerifier, claimedTenant } from '../../connectors/microsoft/addinToken.ts';
import { defaultEndpoints } from '../../connectors/microsoft/credentials.ts';
import { microsoftRemoteId } from '../../connectors/microsoft/itemAddress.ts';
import { WordAddinError } from '../../connectors/microsoft/wordAddinError.ts';
import type { AuditRepo } from '../admin/auditRepo.ts';
import type { CredentialInfo, CredentialsRepo } from '../admin/credentialsRepo.ts';
import type { DocumentsRepo } from '../admin/documentsRepo.ts';
import type { LinksRepo } from '../admin/linksRepo.ts';
import type { ConnectorRegistry } from '../links/connectorRegistry.ts';
import type { SessionsRepo } from './sessionsRepo.ts';

/** A Word add-in session never outlives the Office SSO token it came from by more than this floor. */
const MIN_SESSION_MS = 5 * 60_000;
/** ...and never lasts longer than this: the add-in signs in again with a fresh SSO token. */
const MAX_SESSION_MS = 2 * 3600_000;

export interface WordAddinSignInDeps {
  credentials: Pick<CredentialsRepo, 'listAcrossTenants'>;
  links: Pick<LinksRepo, 'listByRemote'>;
  documents: Pick<DocumentsRepo, 'get'>;
  connectors: Pick<ConnectorRegistry, 'credential'>;
  sessions: Pick<SessionsRepo, 'open'>;
  audit: Pick<AuditRepo, 'append'>;
}

/** What `POST /api/word-addin/session` answers (docs/word-addin-session.md). */
export interface WordAddinSession {
  /** A Docbridge socket key (`dbk.…`) for `/collab`: this one document, with `role`. */
  token: string;
  document: { name: string; title: string };
  role: 'edit' | 'read';
  /** Seconds until the session ends; the add-in signs in again before. */
  expiresIn: number;
}

/**
 * The Word add-in's sign-in (issue 13, item 2): an Office SSO token and the address of the file open in Word
 * become a Docbridge session on the one document linked to that file, with the role the user has on the
 * file itself. The department is the one whose Microsoft credential names the token's Entra tenant and the
 * add-in client id it was issued for; the session is an ordinary server-side session (`via: word-addin`), so
 * the socket, revocation, sign-out and the "live in Word" hand-over all see it like any other.
 */
export function createWordAddinSignIn(deps: WordAddinSignInDeps) {
  const verifier = new AddinTokenVerifier();

  return async function signIn(input: {
    accessToken: string;
    documentUrl: string;
    userAgent: string | null;
  }): Promise<WordAddinSession> {
    const tenantId = claimedTenant(input.accessToken);
    const directory = (await deps.credentials.listAcrossTenants('microsoft')).filter(
      (credential) => String(credential.metadata.tenantId ?? '').toLowerCase() === tenantId,
    );
    if (directory.length === 0) {
      throw new WordAddinError(
        'WORD_ADDIN_TENANT_UNKNOWN',
        'No Docbridge department is connected to this Microsoft 365 organisation.',
      );
    }
    const withAddin = directory.filter((credential) => typeof credential.metadata.addinClientId === 'string');
    const first = withAddin[0];
    if (!first) {
      throw new WordAddinError(
        'WORD_ADDIN_NOT_CONFIGURED',
        'The Word add-in is not set up for this organisation: an administrator must add its client id to the Microsoft credential.',
      );
    }
    const user = await verifier.verify(input.accessToken, {
      login: loginOf(first),
      tenantId,
      audiences: withAddin.filter((c) => loginOf(c) === loginOf(first)).map(addinClientIdOf),
    });
    const candidates = withAddin.filter(
      (c) => addinClientIdOf(c) === user.audience && loginOf(c) === loginOf(first),
    );
    const address = microsoftRemoteId(input.documentUrl);
    if (!address) {
      throw new WordAddinError(
        'WORD_ADDIN_INVALID_REQUEST',
        'documentUrl is not the address of a file in OneDrive or SharePoint.',
      );
    }
    // The user's own access decides the role; the add-in's Graph calls are the user's, never the app's.
    const chosen = candidates[0]!;
    const [{ appCredential }, { userFileAccess }] = await Promise.all([
      import('../../connectors/microsoft/suite.ts'),
      import('../../connectors/microsoft/userFileAccess.ts'),
    ]);
    let app: ReturnType<typeof appCredential>;
    try {
      app = appCredential(await deps.connectors.credential(chosen.tenant, chosen.id));
    } catch {
      throw new WordAddinError(
        'WORD_ADDIN_NOT_CONFIGURED',
        'The department’s Microsoft credential cannot be used just now; an administrator should check it.',
      );
    }
    const file = await userFileAccess(app, user.audience, input.accessToken, user.objectId, address);
    const link = await firstLink(deps, candidates, file.remoteId);
    if (!link) {
      throw new WordAddinError(
        'WORD_ADDIN_NOT_LINKED',
        'This Word file is not linked to a Docbridge document. Ask whoever manages Docbridge to link it.',
      );
    }
    const now = Date.now();
    const ttlMs = Math.min(MAX_SESSION_MS, Math.max(MIN_SESSION_MS, user.expiresAt - now));
    const userId = `entra:${user.objectId}`;
    const opened = await deps.sessions.open({
      tenant: link.tenant,
      userId,
      userName: user.name ?? user.username ?? userId,
      // preferred_username is not verified by Entra: never used to match shares by e-mail.
      email: null,
      admin: false,
      via: 'word-addin',
      guestLinkId: null,
      docs: { [link.doc]: file.role },
      userAgent: input.userAgent,
      ttlMs,
    });
    await deps.audit.append({
      tenant: link.tenant,
      actor: userId,
      action: 'word-addin.sign-in',
      target: link.doc,
      details: { role: file.role, link: link.id, session: opened.session.id },
    });
    const record = await deps.documents.get(link.tenant, link.doc);
    return {
      token: opened.socketKey,
      document: { name: link.doc, title: record?.title ?? file.name },
      role: file.role,
      expiresIn: Math.floor(ttlMs / 1000),
    };
  };
}

export type WordAddinSignIn = ReturnType<typeof createWordAddinSignIn>;

/** The first link to `remoteId` through one of `credentials`, in their order (oldest credential first). */
async function firstLink(deps: WordAddinSignInDeps, credentials: CredentialInfo[], remoteId: string) {
  const tenants = [...new Set(credentials.map((c) => c.tenant))];
  for (const tenant of tenants) {
    const ids = credentials.filter((c) => c.tenant === tenant).map((c) => c.id);
    const [link] = await deps.links.listByRemote(tenant, ids, remoteId);
    if (link) return link;
  }
  return null;
}

/** The credential's Entra authority host (`endpoints.login`), Microsoft's global cloud by default. */
export function loginOf(credential: CredentialInfo): string {
  const endpoints = credential.metadata.endpoints as { login?: unknown } | undefined;
  return typeof endpoints?.login === 'string' ? endpoints.login : defaultEndpoints.login;
}

/** The add-in client id registered on the credential (`addinClientId`). */
export function addinClientIdOf(credential: CredentialInfo): string {
  return String(credential.metadata.addinClientId);
}
