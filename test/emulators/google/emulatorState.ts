import { randomBytes } from 'node:crypto';
import { createDocument, type Document, DocumentHistory, reindexDocument } from './engine/index.ts';
import { UserQuota } from './userQuota.ts';

/** A Google Doc held by the emulator, with the Drive metadata that goes with it. */
export interface EmulatedFile {
  id: string;
  history: DocumentHistory;
  name: string;
  owner: string;
  /** Principals (service account emails or impersonated users) allowed to read and write it. */
  editors: Set<string>;
  version: number;
  modifiedTime: string;
  trashed: boolean;
}

/** One entry of the Drive change feed. */
export interface ChangeEntry {
  seq: number;
  fileId: string;
  time: string;
  /** When the change becomes visible to changes.list (Drive's feed lags behind edits). */
  visibleAt: number;
}

export interface AccessToken {
  principal: string;
  scopes: string[];
  expiresAt: number;
}

/** Every call the emulator served, by API method: tests count batchUpdate calls with it. */
export type CallKind =
  | 'token'
  | 'documents.get'
  | 'documents.create'
  | 'documents.batchUpdate'
  | 'files.get'
  | 'changes.getStartPageToken'
  | 'changes.list'
  | 'changes.watch'
  | 'channels.stop';

/**
 * The emulator's whole world: files, credentials it trusts, tokens it issued, the change feed and the
 * counters. Pure data plus small helpers; HTTP lives in the route modules.
 */
export class EmulatorState {
  readonly files = new Map<string, EmulatedFile>();
  /** Service accounts: client_email -> PEM public key. */
  readonly serviceAccounts = new Map<string, string>();
  /** OAuth clients: refresh token -> user and client. */
  readonly refreshTokens = new Map<string, { user: string; clientId: string; clientSecret: string }>();
  readonly tokens = new Map<string, AccessToken>();
  readonly changes: ChangeEntry[] = [];
  readonly calls = new Map<CallKind, number>();
  /** Google's per-user Docs API quotas, enforced on every call. */
  readonly quota = new UserQuota();
  /** How long a change takes to appear in changes.list. */
  changeFeedLagMs = 0;
  tokenLifetimeSeconds = 3600;

  count(kind: CallKind): void {
    this.calls.set(kind, (this.calls.get(kind) ?? 0) + 1);
  }

  /**
   * A new Google Doc. `content`, when given, is a whole Document JSON (content the API cannot create, such as
   * footnotes or equations, as Google would hold it); its indices are recomputed.
   */
  createFile(title: string, owner: string, editors: string[] = [], content?: Document): EmulatedFile {
    const blank = createDocument(title);
    const document = content ? reindexDocument({ ...content, documentId: blank.documentId, title }) : blank;
    const file: EmulatedFile = {
      id: document.documentId!,
      history: new DocumentHistory(document),
      name: title,
      owner,
      editors: new Set([owner, ...editors]),
      version: 1,
      modifiedTime: new Date().toISOString(),
      trashed: false,
    };
    this.files.set(file.id, file);
    return file;
  }

  /** Records that a file changed: Drive metadata and the change feed. */
  touch(file: EmulatedFile): void {
    file.version += 1;
    file.modifiedTime = new Date().toISOString();
    const now = Date.now();
    this.changes.push({
      seq: this.changes.length + 1,
      fileId: file.id,
      time: file.modifiedTime,
      visibleAt: now + this.changeFeedLagMs,
    });
  }

  issueToken(
    principal: string,
    scopes: string[],
  ): { access_token: string; expires_in: number; token_type: 'Bearer' } {
    const token = `ya29.emu-${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, { principal, scopes, expiresAt: Date.now() + this.tokenLifetimeSeconds * 1000 });
    return { access_token: token, expires_in: this.tokenLifetimeSeconds, token_type: 'Bearer' };
  }

  /** Makes every issued token expire now (fault injection: clients must refresh). */
  expireTokens(): void {
    for (const token of this.tokens.values()) token.expiresAt = 0;
  }

  document(file: EmulatedFile): Document {
    return file.history.current;
  }
}
