import { z } from 'zod';
import { assertTenant, type Clock } from '../admin/repoSupport.ts';
import type { Role } from '../auth/claims.ts';
import type { SqlExecutor } from '../storage/sql.ts';
import { hashSecret, newPublicId, newSecret, socketKeyOf } from './secrets.ts';

/**
 * How a session was opened: the local sign-in link, an OpenID provider (`oidc:<id>`), a guest link, or the Word
 * add-in's sign-in (one document, the role the user has on its Word file).
 */
export type SessionVia = 'local' | `oidc:${string}` | 'guest' | 'word-addin';

/** One stored session, as lists and the authenticator see it (no secrets: those exist only hashed). */
export interface SessionRecord {
  id: string;
  tenant: string;
  userId: string;
  userName: string;
  email: string | null;
  admin: boolean;
  via: SessionVia;
  guestLinkId: string | null;
  docs: Record<string, Role>;
  csrf: string;
  userAgent: string | null;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

/** What opening a session needs. */
export type NewSession = Omit<SessionRecord, 'id' | 'csrf' | 'createdAt' | 'lastSeenAt' | 'expiresAt'> & {
  ttlMs: number;
};

/** A new session and its two secrets, returned once: the cookie value and the WebSocket key. */
export interface OpenedSession {
  session: SessionRecord;
  cookie: string;
  socketKey: string;
}

interface SessionRow {
  id: string;
  tenant: string;
  user_id: string;
  user_name: string;
  email: string | null;
  admin: number;
  via: string;
  guest_link_id: string | null;
  docs: string;
  csrf: string;
  user_agent: string | null;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

const COLUMNS =
  'id, tenant, user_id, user_name, email, admin, via, guest_link_id, docs, csrf, user_agent, created_at, last_seen_at, expires_at';
const docsSchema = z.record(z.string(), z.enum(['read', 'comment', 'edit']));
/** Ended sessions are kept this long (for the admin's view of recent sign-ins), then deleted. */
const KEEP_ENDED_MS = 7 * 24 * 3600_000;
/** `last_seen_at` is written at most this often per session, so authenticating is not a write per request. */
const SEEN_RESOLUTION_MS = 60_000;

/**
 * Server-side sessions (the `sessions` table). The browser holds a random cookie secret and the editor a
 * random socket key; only their SHA-256 hashes are stored, so revoking a row ends both at once, on every
 * instance, at the next request or socket authentication.
 */
export class SessionsRepo {
  constructor(
    private readonly db: SqlExecutor,
    private readonly now: Clock = Date.now,
  ) {}

  /**
   * Stores a new session and returns it with its cookie secret and socket key (never stored in clear). Sessions
   * that expired over a week ago are deleted on the way, so the table does not grow without bound.
   */
  async open(input: NewSession): Promise<OpenedSession> {
    assertTenant(input.tenant);
    const at = this.now();
    const cookie = newSecret('dbs');
    const socketKey = socketKeyOf(cookie);
    const id = newPublicId();
    await this.db.execute('DELETE FROM sessions WHERE expires_at < $1', [at - KEEP_ENDED_MS]);
    await this.db.execute(
      `INSERT INTO sessions (id, secret_hash, socket_hash, csrf, tenant, user_id, user_name, email, admin, via,
         guest_link_id, docs, user_agent, created_at, last_seen_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15)`,
      [
        id,
        hashSecret(cookie),
        hashSecret(socketKey),
        newPublicId(),
        input.tenant,
        input.userId,
        input.userName,
        input.email,
        input.admin ? 1 : 0,
        input.via,
        input.guestLinkId,
        JSON.stringify(input.docs),
        input.userAgent?.slice(0, 300) ?? null,
        at,
        at + input.ttlMs,
      ],
    );
    const session = await this.byColumn('id', id);
    return { session: session!, cookie, socketKey };
  }

  /** The live (not revoked, not expired) session whose cookie secret is `cookie`, or null. */
  byCookie(cookie: string): Promise<SessionRecord | null> {
    return this.byColumn('secret_hash', hashSecret(cookie));
  }

  /** The live session whose socket key is `key`, or null. */
  bySocketKey(key: string): Promise<SessionRecord | null> {
    return this.byColumn('socket_hash', hashSecret(key));
  }

  /** Live sessions of `tenant` (optionally of one user), newest first: what the session lists show. */
  async list(tenant: string, userId?: string): Promise<SessionRecord[]> {
    assertTenant(tenant);
    const rows = await this.db.query<SessionRow>(
      `SELECT ${COLUMNS} FROM sessions WHERE tenant = $1 AND ($2 = '' OR user_id = $2)
         AND revoked_at IS NULL AND expires_at > $3 ORDER BY created_at DESC LIMIT 500`,
      [tenant, userId ?? '', this.now()],
    );
    return rows.map(toRecord);
  }

  /** Ends a session of `tenant` now; returns false when there was no such live session. */
  async revoke(tenant: string, id: string): Promise<boolean> {
    assertTenant(tenant);
    const changed = await this.db.execute(
      'UPDATE sessions SET revoked_at = $3 WHERE tenant = $1 AND id = $2 AND revoked_at IS NULL',
      [tenant, id, this.now()],
    );
    return changed > 0;
  }

  private async byColumn(column: 'id' | 'secret_hash' | 'socket_hash', value: string) {
    const at = this.now();
    const rows = await this.db.query<SessionRow>(
      `SELECT ${COLUMNS} FROM sessions WHERE ${column} = $1 AND revoked_at IS NULL AND expires_at > $2`,
      [value, at],
    );
    const row = rows[0];
    if (!row) return null;
    if (at - row.last_seen_at > SEEN_RESOLUTION_MS) {
      await this.db.execute('UPDATE sessions SET last_seen_at = $2 WHERE id = $1', [row.id, at]);
      row.last_seen_at = at;
    }
    return toRecord(row);
  }
}

function toRecord(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    tenant: row.tenant,
    userId: row.user_id,
    userName: row.user_name,
    email: row.email,
    admin: Number(row.admin) === 1,
    via: row.via as SessionVia,
    guestLinkId: row.guest_link_id,
    docs: docsSchema.parse(JSON.parse(row.docs)),
    csrf: row.csrf,
    userAgent: row.user_agent,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
  };
}
