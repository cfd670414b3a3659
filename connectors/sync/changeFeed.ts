/**
 * A provider's "something changed" feed for every file one credential can see (Google Drive's changes.list,
 * Graph's delta): one feed per credential, never one poll per document. `poll()` returns the remote ids
 * that changed since the last call. Feeds lag (Drive batches notifications minutes apart), so they only wake
 * idle documents; active ones are polled directly.
 */
export interface ChangeFeed {
  poll(): Promise<string[]>;
  /**
   * Opens a push channel to `address` (an HTTPS URL) if the provider offers one; returns its id, secret token
   * and expiry, or null when push is not available.
   */
  watch?(
    address: string,
  ): Promise<{ channelId: string; token: string; resourceId: string; expiresAt: number } | null>;
  /** Closes a push channel opened by `watch`. */
  stopWatch?(channelId: string, resourceId: string): Promise<void>;
}
