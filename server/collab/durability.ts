import type {
  afterLoadDocumentPayload,
  afterUnloadDocumentPayload,
  beforeUnloadDocumentPayload,
  Extension,
  onLoadDocumentPayload,
  onStoreDocumentPayload,
} from '@hocuspocus/server';
import * as Y from 'yjs';
import type { Logger } from '../logger.ts';
import { mergeToSnapshot } from '../storage/mergeUpdates.ts';
import type { CompactionResult, MergeFunction, Storage } from '../storage/storage.ts';
import { DurableQueue } from './durableQueue.ts';

/**
 * Transaction origins whose updates are already durable (written by their author in the same transaction as
 * its own state, as the sync engine does) carry `durable: true`; everything else is logged here.
 */
export function isDurableOrigin(origin: unknown): boolean {
  return typeof origin === 'object' && origin !== null && (origin as { durable?: unknown }).durable === true;
}

/** The origin of state read back from storage: durable already, so it is never logged again. */
export const storedOrigin = { source: 'local', durable: true } as const;

export interface DurabilityOptions {
  storage: Storage;
  logger: Logger;
  /** Fold the log into a snapshot once it holds this many entries. */
  compactAfter: number;
  onPersisted?: (latenciesMs: number[]) => void;
  /** How compaction folds the log (default `mergeToSnapshot` here; the server merges large logs in a worker). */
  merge?: MergeFunction;
}

/**
 * What a loaded document is known to hold of its stored form: the snapshot it was loaded with (or last wrote
 * itself) and the log entries it holds, read at load or appended from it. Entries appended elsewhere (another
 * instance, a link's own transaction) are not known: only a compaction that reads the log folds them.
 */
interface StoredBasis {
  /** False once the stored snapshot may hold what the document does not (another compaction replaced it). */
  valid: boolean;
  snapshotUpTo: number | null;
  ids: Set<number>;
}

/**
 * Makes "saved" mean durable (DESIGN section 4). Every change to a loaded document is appended to its update
 * log; the server's acknowledgement to a client (the SyncStatus message) is held by `ackGate` until
 * `whenDurable(document)` resolves. Loading is snapshot + log replay. Compaction runs in the background: for a
 * loaded document, from the document itself, folding exactly the log entries it is known to hold into a
 * snapshot of its state (reading 500 entries back and replaying them was most of a compaction's cost); for
 * an unloaded one, or when the stored snapshot may hold more than the document, from what storage holds.
 */
export class Durability implements Extension {
  readonly extensionName = 'durability';
  private readonly queues = new Map<string, DurableQueue>();
  private readonly compactions = new Map<string, Promise<void>>();
  private readonly bases = new WeakMap<Y.Doc, StoredBasis>();

  constructor(private readonly options: DurabilityOptions) {}

  /** Resolves when every change made so far to `document` is committed to storage. */
  whenDurable(document: string): Promise<void> {
    return this.queues.get(document)?.whenDurable() ?? Promise.resolve();
  }

  async onLoadDocument({ document, documentName }: onLoadDocumentPayload): Promise<void> {
    await this.applyStored(document, documentName);
  }

  /**
   * Applies what storage holds for `documentName` (snapshot and log) to `document`: on load, and when another
   * instance may have committed edits this one never received (server/collab/crossInstance.ts).
   */
  async applyStored(document: Y.Doc, documentName: string): Promise<void> {
    const stored = await this.options.storage.loadDocument(documentName);
    const updates = stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates;
    const skipped = new Set<number>();
    try {
      if (updates.length > 0) Y.applyUpdate(document, Y.mergeUpdates(updates), storedOrigin);
    } catch {
      // One unreadable entry must not make the whole document unloadable: replay one by one, skipping it.
      for (const [index, update] of updates.entries()) {
        try {
          Y.applyUpdate(document, update, storedOrigin);
        } catch {
          skipped.add(index);
          this.options.logger.error({ document: documentName, index }, 'skipped an unreadable stored update');
        }
      }
    }
    // The document now holds the stored snapshot and every entry read but the unreadable ones, which stay in
    // the log; entries it was known to hold before stay known.
    const offset = stored.snapshot ? 1 : 0;
    const basis = this.bases.get(document) ?? { valid: true, snapshotUpTo: null, ids: new Set<number>() };
    basis.valid = !(stored.snapshot && skipped.has(0));
    basis.snapshotUpTo = stored.snapshotUpTo;
    stored.ids.forEach((id, index) => {
      if (!skipped.has(index + offset)) basis.ids.add(id);
    });
    this.bases.set(document, basis);
  }

  async afterLoadDocument({ document, documentName }: afterLoadDocumentPayload): Promise<void> {
    const { storage, logger, onPersisted } = this.options;
    const queue = new DurableQueue(
      (updates, arrivedAt) =>
        storage.appendUpdates(documentName, updates, arrivedAt).then((ids) => {
          const known = this.bases.get(document)?.ids;
          if (known) for (const id of ids) known.add(id);
        }),
      {
        onCommitted: onPersisted,
        onWriteFailed: (error, attempt) =>
          logger.error(
            { document: documentName, attempt, err: errorSummary(error) },
            'update log write failed; retrying',
          ),
      },
      { pipelined: storage.groupsAppends === true },
    );
    this.queues.set(documentName, queue);
    document.on('update', (update: Uint8Array, origin: unknown) => {
      if (!isDurableOrigin(origin)) queue.push(update);
    });
  }

  /** Called by Hocuspocus (debounced) after changes: compacts once the log has grown long. */
  async onStoreDocument({ document, documentName }: onStoreDocumentPayload): Promise<void> {
    const length = await this.options.storage.logLength(documentName);
    if (length >= this.options.compactAfter) await this.compact(documentName, { document, length });
  }

  /** A document leaves memory only once its log is fully written. */
  async beforeUnloadDocument({ documentName }: beforeUnloadDocumentPayload): Promise<void> {
    await this.queues.get(documentName)?.whenDurable();
  }

  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload): Promise<void> {
    this.queues.delete(documentName);
    // Fold the log while the document is idle, so the next load replays a single snapshot.
    void this.compact(documentName);
  }

  /** Waits for pending writes and compactions, for an orderly shutdown. */
  async flush(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.whenDurable()));
    await Promise.all(this.compactions.values());
  }

  /**
   * Folds the log of `documentName`: from `loaded.document` when it can, and also from storage when that left
   * `compactAfter` entries or more (entries appended elsewhere, such as a link's) or could not be done.
   */
  private compact(documentName: string, loaded?: { document: Y.Doc; length: number }): Promise<void> {
    const running = this.compactions.get(documentName);
    if (running) return running;
    const task = this.foldFromMemory(documentName, loaded?.document)
      .then((fromMemory) => {
        if (fromMemory && loaded!.length - fromMemory.folded < this.options.compactAfter) return fromMemory;
        // The snapshot written next may hold entries the document lacks: it no longer vouches for it.
        const basis = loaded && this.bases.get(loaded.document);
        if (basis) basis.valid = false;
        return this.options.storage.compact(documentName, this.options.merge ?? mergeToSnapshot);
      })
      .then(
        ({ folded }) => {
          if (folded > 0)
            this.options.logger.debug({ document: documentName, folded }, 'compacted update log');
        },
        (error: unknown) =>
          this.options.logger.warn({ document: documentName, err: errorSummary(error) }, 'compaction failed'),
      )
      .finally(() => this.compactions.delete(documentName));
    this.compactions.set(documentName, task);
    return task;
  }

  /**
   * Writes the state of `document` as the snapshot, deleting the log entries it is known to hold; null when it
   * may not: not loaded, nothing known, or the stored snapshot is no longer the one it holds.
   */
  private async foldFromMemory(
    documentName: string,
    document: Y.Doc | undefined,
  ): Promise<CompactionResult | null> {
    const basis = document && this.bases.get(document);
    if (!document || !basis?.valid || basis.ids.size === 0) return null;
    const ids = [...basis.ids];
    // Encoded in the same turn as `ids` is taken: the state holds every one of them.
    const state = Y.encodeStateAsUpdate(document);
    const written = await this.options.storage.compactFromState(documentName, state, {
      snapshotUpTo: basis.snapshotUpTo,
      ids,
    });
    if (!written) {
      basis.valid = false;
      return null;
    }
    basis.snapshotUpTo = written.upTo;
    for (const id of ids) basis.ids.delete(id);
    return written;
  }
}

/** An error's class and message only: never a payload that could carry document content. */
export function errorSummary(error: unknown): { type: string; message: string } {
  return error instanceof Error
    ? { type: error.constructor.name, message: error.message }
    : { type: typeof error, message: String(error) };
}
