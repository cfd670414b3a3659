import type { connectedPayload, Extension, onDisconnectPayload } from '@hocuspocus/server';
import { Redis as IORedis } from 'ioredis';
import type { Role } from '../auth/claims.ts';
import type { Logger } from '../logger.ts';

/** What a socket's grant depends on; a change to any of these re-checks the sockets that match it. */
export interface AccessChange {
  doc?: string;
  sessionId?: string;
  guestLinkId?: string;
}

/** What the authentication extension records about an open document connection, for re-checks. */
export interface WatchedGrant {
  role: Role;
  sessionId: string | null;
  guestLinkId: string | null;
  /** When the grant ends by itself (session or guest link expiry), epoch ms. */
  expiresAt: number | null;
  /** Re-authenticates the connection's credential now: its current role, or null when it has none. */
  recheck(): Promise<Role | null>;
}

/** The close reason sent to the client when its access ended while the document was open. */
export const ACCESS_ENDED = 'access-withdrawn';
const CHANNEL = 'docbridge:access-changes';

interface Watched {
  doc: string;
  grant: WatchedGrant;
  close(): void;
}

/**
 * Closes open document connections whose access ended: `changed()` (a withdrawn share, a revoked guest link,
 * a sign-out or a revoked session) re-checks the matching connections on this instance and, through Redis
 * pub/sub when configured, on every other; a timer closes connections whose session or guest link expired.
 * Re-checking rather than closing blindly keeps connections that still hold another grant.
 */
export class AccessWatch implements Extension {
  readonly extensionName = 'accessWatch';
  private readonly open = new Map<object, Watched>();
  private readonly timer: NodeJS.Timeout;
  private readonly pub: IORedis | null;
  private readonly sub: IORedis | null;

  constructor(
    private readonly logger: Logger,
    redisUrl?: string,
    sweepMs = 500,
  ) {
    this.timer = setInterval(() => this.closeExpired(), sweepMs);
    this.timer.unref();
    this.pub = redisUrl ? new IORedis(redisUrl, { maxRetriesPerRequest: null }) : null;
    this.sub = redisUrl ? new IORedis(redisUrl, { maxRetriesPerRequest: null }) : null;
    this.sub?.on('message', (_channel: string, message: string) => {
      void this.recheck(JSON.parse(message) as AccessChange);
    });
    void this.sub?.subscribe(CHANNEL);
  }

  async connected({ connection, context, documentName }: connectedPayload): Promise<void> {
    const grant = (context as { grant?: WatchedGrant }).grant;
    if (!grant) return;
    this.open.set(connection, {
      doc: documentName,
      grant,
      close: () => connection.close({ code: 4403, reason: ACCESS_ENDED }),
    });
  }

  async onDisconnect({ context, documentName }: onDisconnectPayload): Promise<void> {
    for (const [key, watched] of this.open) {
      if (watched.doc === documentName && watched.grant === (context as { grant?: WatchedGrant }).grant) {
        this.open.delete(key);
      }
    }
  }

  /** Re-checks, here and on every instance, the open connections `change` may affect. */
  async changed(change: AccessChange): Promise<void> {
    if (this.pub) await this.pub.publish(CHANNEL, JSON.stringify(change));
    else await this.recheck(change);
  }

  async onDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.sub?.disconnect();
    this.pub?.disconnect();
  }

  private async recheck(change: AccessChange): Promise<void> {
    const affected = [...this.open].filter(
      ([, { doc, grant }]) =>
        (change.doc !== undefined && change.doc === doc) ||
        (change.sessionId !== undefined && change.sessionId === grant.sessionId) ||
        (change.guestLinkId !== undefined && change.guestLinkId === grant.guestLinkId),
    );
    await Promise.all(
      affected.map(async ([key, watched]) => {
        const role = await watched.grant.recheck().catch(() => null);
        if (role === watched.grant.role) return;
        this.open.delete(key);
        this.logger.info(
          { doc: watched.doc, reason: ACCESS_ENDED },
          'closing a connection whose access ended',
        );
        watched.close();
      }),
    );
  }

  private closeExpired(): void {
    const now = Date.now();
    for (const [key, watched] of this.open) {
      if (watched.grant.expiresAt !== null && watched.grant.expiresAt <= now) {
        this.open.delete(key);
        watched.close();
      }
    }
  }
}
