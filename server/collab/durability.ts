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
import type { MergeFunction, Storage } from '../storage/storage.ts';
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
 * Makes "saved" mean durable (DESIGN section 4). Every change to a loaded document is appended to its update
 * log; the server's acknowledgement to a client (the SyncStatus message) is held by `ackGate` until
 * `whenDurable(document)` resolves. Loading is snapshot + log replay; compaction runs in the background from
 * what storage holds, never from memory, so it can only fold entries that are really stored.
 */
export class Durability implements Extension {
  readonly extensionName = 'durability';
  private readonly queues = new Map<string, DurableQueue>();
  private readonly compactions = new Map<string, Promise<void>>();

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
    if (updates.length === 0) return;
    try {
      Y.applyUpdate(document, Y.mergeUpdates(updates), storedOrigin);
    } catch {
      // One unreadable entry must not make the whole document unloadable: replay one by one, skipping it.
      for (const [index, update] of updates.entries()) {
        try {
          Y.applyUpdate(document, update, storedOrigin);
        } catch {
          this.options.logger.error({ document: documentName, index }, 'skipped an unreadable stored update');
        }
      }
    }
  }

  async afterLoadDocument({ document, documentName }: afterLoadDocumentPayload): Promise<void> {
    const { storage, logger, onPersisted } = this.options;
    const queue = new DurableQueue(
      (updates, arrivedAt) => storage.appendUpdates(documentName, updates, arrivedAt).then(() => undefined),
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
  async onStoreDocument({ documentName }: onStoreDocumentPayload): Promise<void> {
    const length = await this.options.storage.logLength(documentName);
    if (length >= this.options.compactAfter) await this.compact(documentName);
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

  private compact(documentName: string): Promise<void> {
    const running = this.compactions.get(documentName);
    if (running) return running;
    const task = this.options.storage
      .compact(documentName, this.options.merge ?? mergeToSnapshot)
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
}

/** An error's class and message only: never a payload that could carry document content. */
export function errorSummary(error: unknown): { type: string; message: string } {
  return error instanceof Error
    ? { type: error.constructor.name, message: error.message }
    : { type: typeof error, message: String(error) };
}
