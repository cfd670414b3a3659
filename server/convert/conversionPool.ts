/**
 * Conversions off the event loop. Reading a hostile .docx or writing a large export is CPU-bound and may
 * allocate a lot; on the main thread it would stall every socket and `/healthz` of the process. Each job
 * runs in a worker thread (`node:worker_threads`) with V8 heap limits (`resourceLimits`) and a deadline
 * after which the worker is terminated; a worker that dies is replaced. At most `size` conversions run at
 * once and at most `maxQueue` wait; beyond that the caller is told to come back (503).
 */
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { JSONContent } from '@tiptap/core';
import { atomSealKeys } from '../../connectors/model/atomSeal.ts';
import { ConversionError } from '../../connectors/model/errors.ts';
import type { Exported, ImportedUpdates, Merged, OriginalBase } from './conversions.ts';
import type { ExportFormat } from './formats.ts';

/** One unit of work for a worker. */
export type ConversionJob =
  | { kind: 'import'; extension: string; bytes: Uint8Array }
  | { kind: 'export'; format: ExportFormat; doc: JSONContent; title: string; base: OriginalBase | null }
  | { kind: 'merge'; snapshot: Uint8Array | null; updates: Uint8Array[] };

/** A worker's answer to one job. */
export type WorkerAnswer =
  | { ok: true; value: ImportedUpdates | Exported | Merged }
  | { ok: false; code: string; message: string };

/** A conversion stopped by a limit (CONVERSION_TIMEOUT, CONVERSION_OUT_OF_MEMORY) or by a crash of its worker. */
export class ConversionLimitError extends ConversionError {}

/** Every worker is busy and the queue is full: retry later (503). */
export class ConversionBusyError extends Error {
  readonly code = 'CONVERSION_BUSY';
}

export interface ConversionPoolOptions {
  /** Workers running at once (default: cores - 1, at least 1, at most 4). */
  size?: number;
  /** V8 old-generation heap limit of each worker, MiB. */
  memoryMb: number;
  /** Wall-clock limit of one conversion, ms; the worker is terminated past it. */
  timeoutMs: number;
  /** Jobs allowed to wait for a worker (default 32). */
  maxQueue?: number;
}

interface Pending {
  job: ConversionJob;
  resolve(value: ImportedUpdates | Exported | Merged): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  /** The worker has loaded the converters; a job's deadline starts then, not while the thread boots. */
  ready: boolean;
  current: Pending | null;
  /** The job's deadline while busy, the idle retirement while idle. */
  timer: NodeJS.Timeout | null;
}

/** An idle worker is retired after this long, so a quiet server holds no conversion memory. */
const IDLE_MS = 30_000;

const here = fileURLToPath(import.meta.url);
// Run as TypeScript (tsx) in development and tests, as JavaScript once compiled: same extension as this file.
const workerFile = new URL(`./conversionWorker${extname(here)}`, import.meta.url);

/** A fixed-size pool of conversion workers with memory and time limits. */
export class ConversionPool {
  private readonly slots = new Set<Slot>();
  private readonly idle: Slot[] = [];
  private readonly queue: Pending[] = [];
  private running = 0;
  private closed = false;
  private readonly size: number;
  private readonly maxQueue: number;

  constructor(private readonly options: ConversionPoolOptions) {
    this.size = options.size ?? Math.min(4, Math.max(1, availableParallelism() - 1));
    this.maxQueue = options.maxQueue ?? 32;
  }

  /** Reads an uploaded file into Yjs updates in a worker (its bytes are moved there, not copied). */
  importFile(extension: string, bytes: Uint8Array): Promise<ImportedUpdates> {
    return this.run({ kind: 'import', extension, bytes }) as Promise<ImportedUpdates>;
  }

  /** Writes `doc` in `format` in a worker, over `base` when it is the original of that format. */
  exportDocument(
    format: ExportFormat,
    doc: JSONContent,
    title: string,
    base: OriginalBase | null = null,
  ): Promise<Exported> {
    return this.run({ kind: 'export', format, doc, title, base }) as Promise<Exported>;
  }

  /**
   * Folds a document's snapshot and log entries into one snapshot in a worker (how the durability extension
   * compacts logs over `INLINE_MERGE_MAX_BYTES`): a large document's merge would otherwise hold the event loop
   * for hundreds of milliseconds each time it is unloaded.
   */
  async mergeUpdates(snapshot: Uint8Array | null, updates: readonly Uint8Array[]): Promise<Uint8Array> {
    const merged = (await this.run({ kind: 'merge', snapshot, updates: [...updates] })) as Merged;
    return merged.bytes;
  }

  /** Terminates every worker; queued and running jobs fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new ConversionBusyError('shutting down'));
    this.idle.splice(0);
    await Promise.all(
      [...this.slots].map((slot) => {
        if (slot.timer) clearTimeout(slot.timer);
        slot.worker.removeAllListeners();
        slot.current?.reject(new ConversionBusyError('shutting down'));
        this.slots.delete(slot);
        return slot.worker.terminate();
      }),
    );
  }

  private run(job: ConversionJob): Promise<ImportedUpdates | Exported | Merged> {
    if (this.closed) return Promise.reject(new ConversionBusyError('shutting down'));
    if (this.running >= this.size && this.queue.length >= this.maxQueue)
      return Promise.reject(new ConversionBusyError('every conversion worker is busy'));
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0 && this.running < this.size) {
      const pending = this.queue.shift()!;
      const slot = this.idle.pop() ?? this.spawn();
      if (slot.timer) clearTimeout(slot.timer);
      this.running += 1;
      slot.current = pending;
      slot.worker.ref();
      if (slot.ready) this.startDeadline(slot);
      const { job } = pending;
      slot.worker.postMessage(job, job.kind === 'import' ? [job.bytes.buffer as ArrayBuffer] : []);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(workerFile, {
      workerData: { sealKeys: atomSealKeys() },
      execArgv: extname(here) === '.ts' ? ['--import', 'tsx'] : [],
      resourceLimits: { maxOldGenerationSizeMb: this.options.memoryMb, maxYoungGenerationSizeMb: 32 },
      stdout: false,
      stderr: false,
    });
    const slot: Slot = { worker, ready: false, current: null, timer: null };
    this.slots.add(slot);
    worker.on('message', (answer: WorkerAnswer | 'ready') => {
      if (answer === 'ready') {
        slot.ready = true;
        if (slot.current) this.startDeadline(slot);
        return;
      }
      const pending = slot.current;
      if (!pending) return;
      this.release(slot);
      if (answer.ok) pending.resolve(answer.value);
      else pending.reject(new ConversionError(answer.code, answer.message));
      this.idle.push(slot);
      slot.timer = setTimeout(() => this.retire(slot), IDLE_MS);
      slot.timer.unref();
      this.dispatch();
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY')
        this.fail(slot, 'CONVERSION_OUT_OF_MEMORY', 'the conversion needed more memory than allowed');
      else this.fail(slot, 'CONVERSION_FAILED', 'the conversion worker failed');
    });
    worker.on('exit', () => this.fail(slot, 'CONVERSION_FAILED', 'the conversion worker stopped'));
    worker.unref();
    return slot;
  }

  private startDeadline(slot: Slot): void {
    slot.timer = setTimeout(() => {
      this.fail(slot, 'CONVERSION_TIMEOUT', `the conversion took longer than ${this.options.timeoutMs} ms`);
    }, this.options.timeoutMs);
  }

  private retire(slot: Slot): void {
    const index = this.idle.indexOf(slot);
    if (index < 0) return;
    this.idle.splice(index, 1);
    this.slots.delete(slot);
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
  }

  /** Ends the slot's job with a limit error and drops its worker (a new one is spawned when needed). */
  private fail(slot: Slot, code: string, message: string): void {
    const pending = slot.current;
    const index = this.idle.indexOf(slot);
    if (index >= 0) this.idle.splice(index, 1);
    this.slots.delete(slot);
    if (!pending) return;
    this.release(slot);
    slot.worker.removeAllListeners('message');
    void slot.worker.terminate();
    pending.reject(new ConversionLimitError(code, message));
    this.dispatch();
  }

  private release(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.current = null;
    // An idle worker must not keep the process alive.
    slot.worker.unref();
    this.running -= 1;
  }
}
