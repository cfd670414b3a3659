import type { JSONContent } from '@tiptap/core';
import type { ConversionWarning } from '../model/warnings.ts';
import type { ChangeFeed } from './changeFeed.ts';

/**
 * The remote file a link joins, as one provider names it. `remoteId` is the Google document id or the Graph
 * drive item id; `credential` is whatever the provider needs to act (decrypted by the caller).
 */
export interface RemoteTarget {
  linkId: string;
  remoteId: string;
}

/**
 * The remote file at one revision: its content as schema JSON, the revision it was read at, and the
 * provider's own snapshot (Google Document JSON, .docx bytes), which the next write needs to express a diff
 * in the remote's terms and to carry back what the schema does not model.
 */
export interface RemoteSnapshot {
  rev: string;
  doc: JSONContent;
  raw: Uint8Array;
  warnings: ConversionWarning[];
}

/** The result of a write: the revision the remote reported for it, when it reports one. */
export interface PushResult {
  rev: string | null;
  /** How many remote API write calls the push made (for the "requests per edit" figures). */
  requests: number;
}

/**
 * One office suite, seen by the sync engine (DESIGN section 3). A connector reads the remote file into schema
 * JSON and writes a change between two schema documents back in the remote's own terms, guarded by the
 * revision it was computed against. It never touches Hocuspocus or the live document: the engine hands it
 * content and takes content back. Failures are thrown as the typed errors in `remoteErrors.ts`, which the
 * engine turns into pull-then-retry, back-off, or quarantine.
 */
export interface Connector {
  readonly provider: string;
  /** Reads the remote file. */
  fetch(target: RemoteTarget): Promise<RemoteSnapshot>;
  /**
   * Writes the change `base.doc -> next` to the remote, computed against `base` (its revision and raw
   * snapshot). Throws RemoteConflictError when the remote is no longer at a state the change applies to.
   */
  push(target: RemoteTarget, base: RemoteSnapshot, next: JSONContent): Promise<PushResult>;
  /**
   * The stable remote id for a parsed id that names the file indirectly (a Microsoft sharing address is
   * resolved through Graph's `/shares`); absent when parsed ids are already stable.
   */
  resolve?(remoteId: string): Promise<string>;
  /** The credential-wide change feed, when the provider has one. */
  openChangeFeed?(): ChangeFeed;
}
