import { Redis } from '@hocuspocus/extension-redis';
import {
  type afterLoadDocumentPayload,
  type afterUnloadDocumentPayload,
  type Document,
  isTransactionOrigin,
  OutgoingMessage,
  type onChangePayload,
} from '@hocuspocus/server';
import { Redis as IORedis } from 'ioredis';
import * as Y from 'yjs';
import type { Logger } from '../logger.ts';
import { errorSummary } from './durability.ts';
import { InstanceLiveness } from './instanceLiveness.ts';

export interface CrossInstanceOptions {
  url: string;
  logger: Logger;
  /** Applies the document's stored state (snapshot and log) to its open copy, logging nothing again. */
  applyStored: (document: Document, name: string) => Promise<void>;
  /** Heartbeat period and lapse, for tests; production uses the defaults of `InstanceLiveness`. */
  liveness?: { beatMs?: number; lapseMs?: number };
}

const PREFIX = 'docbridge';

/**
 * Joins several instances through Redis so that every edit reaches every instance holding its document
 * open, even when the instance that acknowledged it dies right after (docs/durability.md, "Across
 * instances"). It is `@hocuspocus/extension-redis` (state-vector exchange on load, awareness, store locks)
 * with three changes:
 * - an update travels itself: it is published on the document's channel in the turn it is applied, instead
 *   of a state vector that peers answer and that the author completes one round trip later (a round trip
 *   a dying instance never finishes, and one that costs each peer an O(document) diff per keystroke);
 * - when an instance lapses (see `InstanceLiveness`), every survivor merges the stored update log into the
 *   documents the dead instance had open: whatever it committed (and so may have acknowledged) but never
 *   published arrives that way; Yjs updates are idempotent, so re-applying what is there already is safe;
 * - when this instance's subscription to Redis comes back after a break, it asks its peers for what it
 *   missed (a state vector per open document) and merges the stored log, since pub/sub does not replay.
 */
export class CrossInstanceRedis extends Redis {
  private readonly liveness: InstanceLiveness;
  private readonly outgoing = new Map<string, { document: Document; updates: Uint8Array[] }>();
  private flushScheduled = false;
  private subscriberBroke = false;
  /** Test-build fault: drop every publish, as if the process had died between commit and fan-out. */
  private withheld = false;

  constructor(private readonly options: CrossInstanceOptions) {
    super({
      prefix: PREFIX,
      createClient: () => new IORedis(options.url, { maxRetriesPerRequest: null }),
    });
    this.liveness = new InstanceLiveness({
      redis: this.pub as IORedis,
      prefix: PREFIX,
      id: this.configuration.identifier,
      ...options.liveness,
      onLapse: (dead, documents) => void this.reconcileAfterLapse(dead, documents),
      onError: (error) =>
        options.logger.warn({ err: errorSummary(error) }, 'instance heartbeat failed; retrying'),
    });
    this.sub.on('close', () => {
      this.subscriberBroke = true;
    });
    this.sub.on('ready', () => {
      if (!this.subscriberBroke) return;
      this.subscriberBroke = false;
      void this.catchUpAfterBreak();
    });
  }

  /** Starts announcing this instance; resolves once its peers can see it. */
  start(): Promise<void> {
    return this.liveness.start();
  }

  override async afterLoadDocument(payload: afterLoadDocumentPayload): Promise<void> {
    this.liveness.noteOpened(payload.documentName);
    await super.afterLoadDocument(payload);
  }

  override async afterUnloadDocument(payload: afterUnloadDocumentPayload): Promise<void> {
    await super.afterUnloadDocument(payload);
    if (!payload.instance.documents.has(payload.documentName)) {
      this.liveness.noteClosed(payload.documentName);
    }
  }

  /** Publishes the update itself (coalesced per document within one event loop turn). */
  override async onChange({ documentName, document, update, transactionOrigin }: onChangePayload) {
    if (isTransactionOrigin(transactionOrigin) && transactionOrigin.source === 'redis') return;
    const pending = this.outgoing.get(documentName);
    if (pending && pending.document === document) pending.updates.push(update);
    else this.outgoing.set(documentName, { document, updates: [update] });
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flushOutgoing());
  }

  override async onDestroy(): Promise<void> {
    await this.liveness.stop();
    await super.onDestroy();
  }

  /** Test builds only (`DOCBRIDGE_TEST_FAULTS=withhold-fanout`): from now on, publish nothing. */
  withholdFanout(): void {
    this.withheld = true;
    this.options.logger.warn('test fault: withholding fan-out to other instances from now on');
    const pub = this.pub as IORedis;
    pub.publish = (async () => 0) as unknown as IORedis['publish'];
  }

  private flushOutgoing(): void {
    this.flushScheduled = false;
    const batches = [...this.outgoing.entries()];
    this.outgoing.clear();
    for (const [name, { updates }] of batches) {
      const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
      const message = new OutgoingMessage(name).createSyncMessage().writeUpdate(update).toUint8Array();
      this.pub
        .publish(`${PREFIX}:${name}`, Buffer.concat([this.messagePrefix, message]))
        .catch((error: unknown) =>
          this.options.logger.warn(
            { document: name, err: errorSummary(error) },
            'publishing an update to other instances failed; they catch up from the log',
          ),
        );
    }
  }

  private async reconcileAfterLapse(dead: string, documents: string[]): Promise<void> {
    if (this.withheld) return;
    const mine = documents.filter((name) => this.instance.documents.has(name));
    this.options.logger.info(
      { instance: dead, documents: mine.length },
      'an instance lapsed; merging the stored log into the documents it had open',
    );
    await this.mergeStored(mine);
  }

  private async catchUpAfterBreak(): Promise<void> {
    const names = [...this.instance.documents.keys()];
    this.options.logger.info({ documents: names.length }, 'Redis subscription restored; catching up');
    for (const name of names) {
      const document = this.instance.documents.get(name);
      if (!document) continue;
      const message = new OutgoingMessage(name).createSyncMessage().writeFirstSyncStepFor(document);
      await this.pub
        .publish(`${PREFIX}:${name}`, Buffer.concat([this.messagePrefix, message.toUint8Array()]))
        .catch(() => undefined);
    }
    await this.mergeStored(names);
  }

  /** Applies each document's stored state to its open copy; what it held already changes nothing. */
  private async mergeStored(names: string[]): Promise<void> {
    for (const name of names) {
      const document = this.instance.documents.get(name);
      if (!document) continue;
      try {
        await this.options.applyStored(document, name);
      } catch (error) {
        this.options.logger.error(
          { document: name, err: errorSummary(error) },
          'merging the stored log into an open document failed',
        );
      }
    }
  }
}
