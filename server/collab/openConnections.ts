import type { Connection, connectedPayload, Extension } from '@hocuspocus/server';
import type { Redis as IORedis } from 'ioredis';
import { z } from 'zod';
import type { Role } from '../auth/claims.ts';
import type { Logger } from '../logger.ts';
import { errorSummary } from './durability.ts';
import { RedisJsonChannel } from './redisJsonChannel.ts';

/** Who holds an open document connection, as its token said. */
export interface ConnectionIdentity {
  tenant: string;
  sub: string;
  doc: string;
  /** When the token was issued (epoch ms), or null when it did not say. */
  issuedAt: number | null;
  /** When the token expires (epoch ms): the connection is closed then unless a fresh token arrived. */
  expiresAt: number;
  /** The session the credential belongs to, when it is one (server/identity/). */
  sessionId?: string | null;
  /** The guest link a guest came through. */
  guestLinkId?: string | null;
  /** The role granted; with `recheck`, for `recheckEverywhere`. */
  role?: Role;
  /** Resolves the credential again now: its current role on `doc`, or null when it has none any more. */
  recheck?: () => Promise<Role | null>;
}

/**
 * What changed about access (a share of `doc` granted, changed or withdrawn; a session ended; a guest link
 * revoked): the open connections it may affect are re-checked, and those whose role changed are closed.
 */
export const accessChangeSchema = z.object({
  doc: z.string().min(1).optional(),
  sessionId: z.string().min(1).optional(),
  guestLinkId: z.string().min(1).optional(),
});
export type AccessChange = z.infer<typeof accessChangeSchema>;

/** The close reason of a connection whose access ended while it was open (share withdrawn, signed out...). */
export const ACCESS_ENDED = 'access-withdrawn';

/** Which open connections a close order reaches: every field given must match. */
export const closeMatchSchema = z.object({
  tenant: z.string().min(1),
  sub: z.string().min(1).optional(),
  doc: z.string().min(1).optional(),
  /** Only connections whose token was issued at or before this time (epoch ms); no `iat` counts as before. */
  issuedBefore: z.number().optional(),
});
export type CloseMatch = z.infer<typeof closeMatchSchema>;

/** A close reason: a short code, so it always fits a WebSocket close frame (123 bytes at most). */
const reasonSchema = z.string().regex(/^[a-z0-9-]{1,64}$/);
const orderSchema = z.union([
  z.object({ match: closeMatchSchema, reason: reasonSchema }),
  z.object({ recheck: accessChangeSchema }),
]);
type Order = z.infer<typeof orderSchema>;

/** The WebSocket close code of a connection whose grant ended (`@hocuspocus/common` Unauthorized). */
export const GRANT_ENDED_CODE = 4401;
/** A connection that registers this long after an order it matches is still closed by it (set-up races). */
const ORDER_MEMORY_MS = 30_000;
/** How long `closeEverywhere` and `recheckEverywhere` wait for Redis to take an order before answering anyway. */
const PUBLISH_WAIT_MS = 1000;
/** Ask the client for a fresh token this long before expiry at most (Hocuspocus token sync). */
const REFRESH_LEAD_MS = 30_000;
/** setTimeout's ceiling (about 24.8 days): a token valid for longer is looked at again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

type Socket = Connection['webSocket'];

interface Entry {
  connection: Connection;
  identity: ConnectionIdentity;
  /** When to ask the client for a fresh token; null once asked. */
  askAt: number | null;
  /** Fires at `askAt`, then at the token's expiry. */
  timer: NodeJS.Timeout | undefined;
}

/**
 * Every open WebSocket document connection of this instance, with who holds it and until when, and the one
 * way to end them: `closeEverywhere(match, reason)` closes the matching connections here and, through Redis
 * pub/sub when configured, on every other instance (revocations; sign-out, withdrawn shares and guest links
 * use the same call). Each connection's own timer asks its client for a fresh token shortly before the
 * token's expiry and closes it at the expiry (`token-expired`); `renew` records a fresh token the server
 * accepted. Nothing runs in between, so idle connections cost no CPU (a sweep every 250 ms over every
 * connection was most of an idle server's CPU with 10,000 open). A socket whose every connection ends is
 * closed itself (4401 and the reason); otherwise only the document connection is.
 */
export class OpenConnections implements Extension {
  readonly extensionName = 'openConnections';
  private readonly entries = new Map<Connection, Entry>();
  /** The entries of each socket, so closing one never scans every connection. */
  private readonly socketEntries = new Map<Socket, Set<Entry>>();
  private recentOrders: { match: CloseMatch; reason: string; until: number }[] = [];
  private readonly channel: RedisJsonChannel<typeof orderSchema> | null;

  /**
   * `redis` makes a Redis connection (two are made: publish and subscribe) when several instances share
   * Redis; the caller loads ioredis only then, so a single instance never holds it.
   */
  constructor(private readonly options: { logger: Logger; redis?: (() => IORedis) | undefined }) {
    this.channel = options.redis
      ? new RedisJsonChannel({
          channel: 'docbridge:close-connections',
          label: 'close-order channel',
          noun: 'order',
          schema: orderSchema,
          pub: options.redis(),
          sub: options.redis(),
          logger: options.logger,
          onMessage: (order) => this.received(order),
        })
      : null;
  }

  /** Registers a connection once Hocuspocus established it (context from `Authentication`). */
  async connected({ connection, context }: connectedPayload): Promise<void> {
    const identity = (context as { identity?: ConnectionIdentity }).identity;
    if (!identity) return;
    const entry: Entry = { connection, identity, askAt: askTime(identity.expiresAt), timer: undefined };
    this.add(entry);
    connection.onClose(() => this.remove(entry));
    const order = this.liveOrders().find((o) => matches(o.match, identity));
    if (order) this.close([entry], order.reason);
  }

  /** A fresh token the server accepted for `connection`: it now lives until that token's expiry. */
  renew(connection: Connection, identity: ConnectionIdentity): void {
    const entry = this.entries.get(connection);
    if (!entry) return;
    entry.identity = identity;
    entry.askAt = askTime(identity.expiresAt);
    this.arm(entry);
  }

  /** The identity `connection` was last authenticated with, or null when it is not registered. */
  identityOf(connection: Connection): ConnectionIdentity | null {
    return this.entries.get(connection)?.identity ?? null;
  }

  /**
   * For the caps on a new document connection: how many documents socket `socketId` has open here, how many
   * sockets `sub` of `tenant` holds here, and whether `socketId` is already one of them.
   */
  usage(
    socketId: string,
    tenant: string,
    sub: string,
  ): { documents: number; sockets: number; holds: boolean } {
    const sockets = new Set<string>();
    let documents = 0;
    for (const { connection, identity } of this.entries.values()) {
      if (connection.socketId === socketId) documents += 1;
      if (identity.tenant === tenant && identity.sub === sub) sockets.add(connection.socketId);
    }
    return { documents, sockets: sockets.size, holds: sockets.has(socketId) };
  }

  /** Closes one connection with `reason` (its socket too when nothing else is open on it). */
  closeOne(connection: Connection, reason: string): void {
    const entry = this.entries.get(connection);
    if (entry) this.close([entry], reason);
  }

  /**
   * Closes every connection matching `match` on this instance now, and on every other instance once they
   * receive the order (Redis pub/sub; resolves once it is published, or after a second when Redis is slow or
   * down: the order is then sent when Redis answers again). Connections that register within the
   * next 30 s and match are closed too, so one set up concurrently with the order cannot slip through.
   */
  async closeEverywhere(match: CloseMatch, reason: string): Promise<number> {
    reasonSchema.parse(reason);
    const closed = this.closeHere(match, reason);
    await this.publish({ match, reason });
    return closed;
  }

  /**
   * Re-checks the connections `change` may affect, here and (through Redis) on every other instance, and
   * closes those whose role is not what it was (`access-withdrawn`); the client reconnects for a new role.
   */
  async recheckEverywhere(change: AccessChange): Promise<void> {
    await this.recheckHere(change);
    await this.publish({ recheck: change });
  }

  /**
   * Sends an order to the other instances: resolves once Redis took it, or after a second when Redis is slow or
   * down (the order waits in ioredis' queue and goes out on reconnection; the caller is not held).
   */
  private async publish(order: Order): Promise<void> {
    if (!this.channel) return;
    const published = this.channel.publish(order);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), PUBLISH_WAIT_MS);
    });
    const outcome = await Promise.race([published, late]).catch((error: unknown) => {
      this.options.logger.error({ err: errorSummary(error) }, 'close-order channel: publish failed');
      return 'failed';
    });
    clearTimeout(timer);
    if (outcome === 'late')
      this.options.logger.warn('close-order channel: Redis is slow; the order goes out when it answers');
  }

  /** Stops the timers and the Redis clients. */
  async destroy(): Promise<void> {
    for (const entry of this.entries.values()) clearTimeout(entry.timer);
    await this.channel?.close();
  }

  private closeHere(match: CloseMatch, reason: string): number {
    this.liveOrders().push({ match, reason, until: Date.now() + ORDER_MEMORY_MS });
    const matching = [...this.entries.values()].filter((entry) => matches(match, entry.identity));
    this.close(matching, reason);
    if (matching.length > 0)
      this.options.logger.info({ reason, connections: matching.length }, 'closed connections by order');
    return matching.length;
  }

  /** An order from another instance. */
  private received(order: Order): void {
    if ('recheck' in order) {
      this.recheckHere(order.recheck).catch((error: unknown) =>
        this.options.logger.error({ err: errorSummary(error) }, 'close-order channel: re-check failed'),
      );
      return;
    }
    try {
      this.closeHere(order.match, order.reason);
    } catch (error) {
      this.options.logger.error({ err: errorSummary(error) }, 'close-order channel: closing failed');
    }
  }

  private async recheckHere(change: AccessChange): Promise<void> {
    const affected = [...this.entries.values()].filter(
      ({ identity }) =>
        identity.recheck !== undefined &&
        ((change.doc !== undefined && change.doc === identity.doc) ||
          (change.sessionId !== undefined && change.sessionId === identity.sessionId) ||
          (change.guestLinkId !== undefined && change.guestLinkId === identity.guestLinkId)),
    );
    const lost = await Promise.all(
      affected.map(async (entry) => {
        const role = await entry.identity.recheck!().catch(() => null);
        return role === entry.identity.role ? null : entry;
      }),
    );
    const closing = lost.filter(
      (entry): entry is Entry => entry !== null && this.entries.has(entry.connection),
    );
    this.close(closing, ACCESS_ENDED);
    if (closing.length > 0)
      this.options.logger.info(
        { reason: ACCESS_ENDED, connections: closing.length },
        'closed connections whose access ended',
      );
  }

  /** The close orders of the last 30 s (older ones dropped). */
  private liveOrders(): { match: CloseMatch; reason: string; until: number }[] {
    const now = Date.now();
    this.recentOrders = this.recentOrders.filter((order) => order.until > now);
    return this.recentOrders;
  }

  private add(entry: Entry): void {
    this.entries.set(entry.connection, entry);
    const socket = entry.connection.webSocket;
    const onSocket = this.socketEntries.get(socket) ?? new Set<Entry>();
    this.socketEntries.set(socket, onSocket.add(entry));
    this.arm(entry);
  }

  private remove(entry: Entry): void {
    if (this.entries.get(entry.connection) !== entry) return;
    this.entries.delete(entry.connection);
    clearTimeout(entry.timer);
    const socket = entry.connection.webSocket;
    const onSocket = this.socketEntries.get(socket);
    onSocket?.delete(entry);
    if (onSocket?.size === 0) this.socketEntries.delete(socket);
  }

  /** Sets `entry`'s timer for its next deadline: the token request, or else the token's expiry. */
  private arm(entry: Entry): void {
    clearTimeout(entry.timer);
    const at = entry.askAt ?? entry.identity.expiresAt;
    const delay = Math.min(Math.max(0, at - Date.now()), MAX_TIMER_MS);
    entry.timer = setTimeout(() => {
      try {
        this.due(entry);
      } catch (error) {
        this.options.logger.error({ err: errorSummary(error) }, 'closing expired connections failed');
      }
    }, delay);
    entry.timer.unref();
  }

  /**
   * `entry`'s timer fired: past its token's expiry it closes, with every other expired connection of its
   * socket (so a socket whose connections all expire together is closed as one); before, it asks for a fresh
   * token once it is time to, and waits for the next deadline.
   */
  private due(entry: Entry): void {
    const now = Date.now();
    if (now < entry.identity.expiresAt) {
      const ask = entry.askAt !== null && now >= entry.askAt;
      if (ask) entry.askAt = null;
      this.arm(entry);
      if (ask) entry.connection.requestToken();
      return;
    }
    const onSocket = this.socketEntries.get(entry.connection.webSocket) ?? [];
    this.close(
      [...onSocket].filter((e) => now >= e.identity.expiresAt),
      'token-expired',
    );
  }

  /** Closes `closing`: whole sockets when none of their connections stays open, else the connections. */
  private close(closing: Entry[], reason: string): void {
    const bySocket = new Map<Socket, Entry[]>();
    for (const entry of closing) {
      const socket = entry.connection.webSocket;
      bySocket.set(socket, [...(bySocket.get(socket) ?? []), entry]);
    }
    for (const [socket, ending] of bySocket) {
      const open = this.socketEntries.get(socket)?.size ?? 0;
      for (const entry of ending) this.remove(entry);
      if (ending.length >= open) {
        socket.close(GRANT_ENDED_CODE, reason);
      } else {
        for (const entry of ending) entry.connection.close({ code: GRANT_ENDED_CODE, reason });
      }
    }
  }
}

function askTime(expiresAt: number): number {
  return expiresAt - Math.min(REFRESH_LEAD_MS, Math.max(0, (expiresAt - Date.now()) / 2));
}

function matches(match: CloseMatch, identity: ConnectionIdentity): boolean {
  return (
    match.tenant === identity.tenant &&
    (match.sub === undefined || match.sub === identity.sub) &&
    (match.doc === undefined || match.doc === identity.doc) &&
    (match.issuedBefore === undefined ||
      identity.issuedAt === null ||
      identity.issuedAt <= match.issuedBefore)
  );
}
