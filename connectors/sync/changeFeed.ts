/** A push channel opened by `ChangeFeed.watch`: its id, the secret its notifications carry, and its expiry. */
export interface WatchChannel {
  channelId: string;
  token: string;
  resourceId: string;
  expiresAt: number;
}

/**
 * A provider's "something changed" feed for every file one credential can see (Google Drive's changes.list,
 * Graph's delta): one feed per credential, never one poll per document. `poll()` returns the remote ids
 * that changed since the last call. Feeds lag (Drive batches notifications minutes apart), so they only wake
 * idle documents; active ones are polled directly.
 */
export interface ChangeFeed {
  poll(): Promise<string[]>;
  /**
   * Opens a push channel to `address` (an HTTPS URL) if the provider offers one, asking for `lifetimeMs`
   * (the provider's own default when absent; a provider grants at most its maximum); null when push is not
   * available.
   */
  watch?(address: string, lifetimeMs?: number): Promise<WatchChannel | null>;
  /**
   * Extends an open channel to `lifetimeMs` from now (Graph's `PATCH /subscriptions/{id}`), keeping its id
   * and secret; also answers a provider's reauthorization challenge. Providers whose channels cannot be
   * extended (Drive) leave it out, and a new channel replaces the old one instead.
   */
  renewWatch?(channel: WatchChannel, lifetimeMs?: number): Promise<WatchChannel>;
  /** Closes a push channel opened by `watch`. */
  stopWatch?(channelId: string, resourceId: string): Promise<void>;
}
