import * as Y from 'yjs';
import type { MergeFunction } from './storage.ts';

/** Raised when Yjs rejects one of the inputs; `index` is its position (-1 for the snapshot). */
export class MergeError extends Error {
  override readonly name = 'MergeError';
  readonly code = 'YJS_UPDATE_REJECTED';
  constructor(
    readonly index: number,
    options?: { cause?: unknown },
  ) {
    super(index < 0 ? 'Yjs rejected the stored snapshot' : `Yjs rejected log entry #${index}`, options);
  }
}

/**
 * The merge function the server hands to `Storage.compact`: applies the snapshot (if any) and every
 * update to a fresh garbage-collecting `Y.Doc` and returns its full state as one update, so deleted
 * content is dropped from the snapshot. Updates whose dependencies are missing stay pending inside the
 * result (Yjs encodes pending structs too), so nothing is lost when entries arrive out of order.
 * Throws `MergeError` instead of silently dropping an entry Yjs cannot read: compaction then fails
 * and leaves the log untouched.
 */
export function mergeToSnapshot(snapshot: Uint8Array | null, updates: readonly Uint8Array[]): Uint8Array {
  const doc = new Y.Doc({ gc: true });
  try {
    // One transaction for all of them: Yjs then cleans up (merges structs, runs its garbage collection) once
    // instead of after every entry, which about halved the merge of a 200-entry log on the bench machine.
    doc.transact(() => {
      if (snapshot) applyOrThrow(doc, snapshot, -1);
      updates.forEach((update, index) => {
        applyOrThrow(doc, update, index);
      });
    });
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

function applyOrThrow(doc: Y.Doc, update: Uint8Array, index: number): void {
  try {
    Y.applyUpdate(doc, update);
  } catch (error) {
    throw new MergeError(index, { cause: error });
  }
}

/**
 * Logs up to this size (snapshot included, bytes) merge on the calling thread: 1-3 ms for 5-60 KB of typed
 * text on the bench machine, less than a worker costs to hand them to, let alone to start one.
 */
export const INLINE_MERGE_MAX_BYTES = 32 * 1024;

/**
 * A merge function that folds small logs here (`mergeToSnapshot`) and hands larger ones to `elsewhere` (the
 * server's conversion workers). A compaction used to start a conversion worker whatever the size: a thread
 * with the converters loaded (a V8 heap of about 45 MiB, most of a second of CPU to start under tsx) that
 * then lived 30 s, for a merge of a few kilobytes, and again each time a document's log reached the
 * compaction threshold after the last worker had retired.
 */
export function mergeSmallLogsHere(
  elsewhere: MergeFunction,
  maxBytes = INLINE_MERGE_MAX_BYTES,
): MergeFunction {
  return (snapshot, updates) => {
    let bytes = snapshot?.byteLength ?? 0;
    for (const update of updates) bytes += update.byteLength;
    return bytes <= maxBytes ? mergeToSnapshot(snapshot, updates) : elsewhere(snapshot, updates);
  };
}
