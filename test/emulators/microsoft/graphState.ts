import { randomBytes, randomUUID } from 'node:crypto';

/** An app registration in a tenant (Entra ID): how it proves itself and which application roles it holds. */
export interface AppRegistration {
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  /** PEM certificate whose key signs client assertions. */
  certificatePem?: string;
  /** `Files.ReadWrite.All` (every drive) or `Sites.Selected` (only `sites`). */
  roles: string[];
  /** Site ids granted to a `Sites.Selected` app. */
  sites: Set<string>;
  /** Redirect URIs of the app's "Single-page application" platform (authorization code with PKCE, CORS). */
  spaRedirectUris?: string[];
  /** Redirect URIs of its "Web" platform (a confidential client redeems the code server-side). */
  webRedirectUris?: string[];
  /** Expose an API: its Application ID URIs (`api://<host>/<client id>`), each with scope `access_as_user`. */
  identifierUris?: string[];
}

/** A user of a directory (work account), who signs in to Office and whose own file access Graph honours. */
export interface EntraUser {
  tenantId: string;
  /** The user principal name (`ada@contoso.com`), lower case. */
  upn: string;
  /** The directory object id (`oid` claim). */
  oid: string;
  displayName: string;
}

/** An authorization code issued at `/{tenant}/oauth2/v2.0/authorize`, bound to what the request named. */
export interface AuthorizationCode {
  tenantId: string;
  clientId: string;
  redirectUri: string;
  /** Space-separated scopes the user consented to. */
  scope: string;
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | 'plain';
  user: EntraUser;
  /** Epoch ms; Entra's codes live about ten minutes. */
  expiresAt: number;
  redeemed: boolean;
}

/** What a user may do with one file (Graph's permission roles). */
export type FileRole = 'owner' | 'write' | 'read';

export interface AccessToken {
  tenantId: string;
  clientId: string;
  roles: string[];
  expiresAt: number;
  /** The signed-in user of a delegated token (on-behalf-of); absent for app-only tokens. */
  user?: EntraUser;
}

/** A drive: a user's OneDrive for Business or a SharePoint document library. */
export interface Drive {
  id: string;
  tenantId: string;
  driveType: 'business' | 'documentLibrary';
  /** The SharePoint site holding it (OneDrives live in a personal site too). */
  siteId: string;
  /** The web address of the drive's root folder. */
  webUrl: string;
  items: Map<string, DriveItem>;
  /** Append-only change log the delta feed reads: one entry per item change, in order. */
  changes: { seq: number; itemId: string }[];
  /** Delta tokens below this are expired (410 resyncRequired). */
  oldestValidSeq: number;
}

/** A file (the emulator models files in a drive's root folder only). */
export interface DriveItem {
  id: string;
  driveId: string;
  /** The SharePoint list item's unique id: the GUID inside eTag, cTag and Doc.aspx links. */
  uniqueId: string;
  name: string;
  content: Uint8Array;
  /** Bumped on any change (eTag). */
  version: number;
  /** Bumped on content changes only (cTag). */
  contentVersion: number;
  createdDateTime: string;
  lastModifiedDateTime: string;
  lastModifiedBy: { user?: { displayName: string; email: string }; application?: { id: string } };
  /** Who holds the file open in Word (a write lock), if anyone. */
  lockedBy: string | null;
  deleted: boolean;
  /** Sharing links created for it (full URLs). */
  sharingLinks: string[];
  /** Users' own permissions on the file, by UPN (a delegated caller without one is refused). */
  permissions: Map<string, FileRole>;
}

/** Every kind of call the emulator counts (the closing note's "requests per edit"). */
export type CallKind =
  | 'token'
  | 'openid-configuration'
  | 'jwks'
  | 'authorize'
  | 'item.get'
  | 'item.content'
  | 'item.download'
  | 'item.upload'
  | 'uploadSession.create'
  | 'uploadSession.put'
  | 'uploadSession.get'
  | 'uploadSession.delete'
  | 'shares.get'
  | 'item.permissions'
  | 'delta'
  | 'subscriptions.create'
  | 'subscriptions.update'
  | 'subscriptions.delete'
  | 'subscriptions.get';

/** One finished upload, as tests check it: every write must have been conditional. */
export interface UploadRecord {
  itemId: string;
  kind: 'simple' | 'session';
  ifMatch: string | null;
  size: number;
  status: number;
}

/**
 * The Graph emulator's world: tenants and their app registrations, issued tokens, drives with their items
 * and change logs, and counters. Pure data plus small helpers; HTTP lives in the route modules.
 */
export class GraphState {
  readonly apps = new Map<string, AppRegistration>();
  /** Directories that exist (a tenant outlives the deletion of its app registrations). */
  readonly tenants = new Set<string>();
  readonly tokens = new Map<string, AccessToken>();
  /** Authorization codes by value (single use). */
  readonly authorizationCodes = new Map<string, AuthorizationCode>();
  /** Users by UPN (lower case). */
  readonly users = new Map<string, EntraUser>();
  readonly drives = new Map<string, Drive>();
  readonly calls = new Map<CallKind, number>();
  readonly uploads: UploadRecord[] = [];
  tokenLifetimeSeconds = 3599;
  /** Page size of delta answers (Graph pages at about 200 items; tests make it small). */
  deltaPageSize = 200;
  private seq = 0;
  /** Observers of item changes (the subscription notifier). */
  readonly onChange: ((drive: Drive, item: DriveItem) => void)[] = [];

  count(kind: CallKind): void {
    this.calls.set(kind, (this.calls.get(kind) ?? 0) + 1);
  }

  /** A Graph access token for `app` (app-only), or for `user` through `app` (delegated, after on-behalf-of). */
  issueToken(
    app: AppRegistration,
    user?: EntraUser,
  ): {
    token_type: 'Bearer';
    expires_in: number;
    ext_expires_in: number;
    access_token: string;
  } {
    const accessToken = randomBytes(32).toString('base64url');
    this.tokens.set(accessToken, {
      tenantId: app.tenantId,
      clientId: app.clientId,
      roles: user ? [] : [...app.roles],
      expiresAt: Date.now() + this.tokenLifetimeSeconds * 1000,
      ...(user ? { user } : {}),
    });
    return {
      token_type: 'Bearer',
      expires_in: this.tokenLifetimeSeconds,
      ext_expires_in: this.tokenLifetimeSeconds,
      access_token: accessToken,
    };
  }

  /** Every issued token stops working at once (the "expired token" fault). */
  expireTokens(): void {
    for (const token of this.tokens.values()) token.expiresAt = 0;
  }

  createDrive(tenantId: string, driveType: Drive['driveType'], siteName: string): Drive {
    const id = `b!${randomBytes(48).toString('base64url')}`;
    const siteId = `contoso.sharepoint.com,${randomUUID()},${randomUUID()}`;
    const webUrl =
      driveType === 'business'
        ? `https://contoso-my.sharepoint.com/personal/${siteName}/Documents`
        : `https://contoso.sharepoint.com/sites/${siteName}/Shared%20Documents`;
    const drive: Drive = {
      id,
      tenantId,
      driveType,
      siteId,
      webUrl,
      items: new Map(),
      changes: [],
      oldestValidSeq: 0,
    };
    this.drives.set(id, drive);
    return drive;
  }

  createItem(drive: Drive, name: string, content: Uint8Array, by: DriveItem['lastModifiedBy']): DriveItem {
    const now = new Date().toISOString();
    const item: DriveItem = {
      id: `01${randomBytes(20).toString('hex').toUpperCase().slice(0, 32)}`,
      driveId: drive.id,
      uniqueId: randomUUID().toUpperCase(),
      name,
      content,
      version: 1,
      contentVersion: 1,
      createdDateTime: now,
      lastModifiedDateTime: now,
      lastModifiedBy: by,
      lockedBy: null,
      deleted: false,
      sharingLinks: [],
      permissions: new Map(),
    };
    drive.items.set(item.id, item);
    this.changed(drive, item);
    return item;
  }

  /** Records a change: new eTag always, new cTag when `content` is given. */
  update(
    drive: Drive,
    item: DriveItem,
    change: { content?: Uint8Array; name?: string; by: DriveItem['lastModifiedBy'] },
  ): void {
    item.version += 1;
    if (change.content) {
      item.content = change.content;
      item.contentVersion += 1;
    }
    if (change.name) item.name = change.name;
    item.lastModifiedBy = change.by;
    item.lastModifiedDateTime = new Date().toISOString();
    this.changed(drive, item);
  }

  /** The delta position "after everything so far": changes with a sequence number at or above it are new. */
  nextSeq(): number {
    return this.seq + 1;
  }

  /** Every delta token of `drive` issued so far expires (the next delta call with one answers 410). */
  expireDeltaTokens(drive: Drive): void {
    // Skip one position so that a token for "now" issued before this call is below the new floor.
    this.seq += 1;
    drive.oldestValidSeq = this.seq + 1;
  }

  private changed(drive: Drive, item: DriveItem): void {
    drive.changes.push({ seq: ++this.seq, itemId: item.id });
    for (const listener of this.onChange) listener(drive, item);
  }
}

/** The eTag of an item: changes on any change. */
export function eTagOf(item: DriveItem): string {
  return `"{${item.uniqueId}},${item.version}"`;
}

/** The cTag of an item: changes on content changes only. */
export function cTagOf(item: DriveItem): string {
  return `"c:{${item.uniqueId}},${item.contentVersion}"`;
}
