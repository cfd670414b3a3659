/**
 * The postMessage protocol between the embed iframe (`/embed/<tenant>/<id>`) and the page that frames it.
 * Types only, so the standalone `embed.js` and the iframe bundle share the contract without sharing code.
 *
 * 1. The iframe posts `hello` to its parent (addressed to each allowed origin; only the real one receives it).
 * 2. The parent answers `init` with the token and options, addressed to the Docbridge origin.
 * 3. The iframe posts `event` messages (`ready`, `saved`, `sync-status`, `error`) to that parent origin only.
 * 4. The parent may send `token` later to replace an expiring token.
 */
export type FrameMessage =
  | { source: 'docbridge'; type: 'hello'; document: string }
  | { source: 'docbridge'; type: 'event'; name: EmbedEventName; detail: EmbedEventDetail };

export type HostMessage =
  | { source: 'docbridge-host'; type: 'init'; token: string; toolbar: boolean; readonly: boolean }
  | { source: 'docbridge-host'; type: 'token'; token: string };

/** Events the embedding page receives (CustomEvents on the element, or raw `event` messages). */
export type EmbedEventName = 'ready' | 'saved' | 'sync-status' | 'error';

export interface EmbedEventDetail {
  document: string;
  /** `sync-status`: `connecting`, `saving`, `saved`, `offline`, `denied` or `read-only`. */
  state?: string;
  label?: string;
  /**
   * `sync-status`: each link of the document to another suite, e.g.
   * `{ provider: 'google', state: 'synced', label: 'Google Docs: synced', remoteUrl }`;
   * `state` is `synced`, `syncing`, `retrying`, `attention` or `paused`.
   */
  links?: EmbedLinkStatus[];
  /** `ready`: whether the server made this connection read-only. */
  readOnly?: boolean;
  /** `error`: a stable code (`origin-not-allowed`, `token-expired`, `document-not-granted`...). */
  code?: string;
  message?: string;
}

/** One link's sync status, as `sync-status` events carry it. */
export interface EmbedLinkStatus {
  provider: string;
  state: string;
  label: string;
  remoteUrl: string | null;
}

/** What `GET /embed/config.json` answers. */
export interface EmbedConfig {
  /** Origins allowed to embed the editor (besides the server's own). */
  allowedOrigins: string[];
  /** Whether the requesting page's Origin is one of them. */
  originAllowed: boolean;
}
