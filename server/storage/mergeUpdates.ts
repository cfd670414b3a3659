import * as Y from 'yjs';

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
    if (snapshot) applyOrThrow(doc, snapshot, -1);
    updates.forEach((update, index) => {
      applyOrThrow(doc, update, index);
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
