/**
 * The shared-memory half of the channel between `SqliteWriter` (main thread) and `sqliteWriterWorker.ts`.
 *
 * Why: at a typing pace every update is its own commit, and a MessagePort round trip per commit (structured
 * clone, libuv wake-ups, EventTarget dispatch on both threads) cost about as much CPU as the commit itself. So
 * the worker sleeps in `Atomics.wait` on a doorbell instead of in its event loop; the main thread writes an
 * append's entries into a SharedArrayBuffer, rings, and learns of the commit through `Atomics.waitAsync`. Every
 * other request still travels as a message, which the worker takes with `receiveMessageOnPort` when the
 * doorbell says one is next, so requests keep the order in which they were made.
 *
 * Erasable TypeScript only: the worker imports it under Node's type stripping.
 */
import type { AppendEntry } from './sqliteWriterProtocol.ts';

/** Int32 slots of the control area. */
export const Slot = {
  /** Requests made so far (the doorbell: the worker waits on it). */
  rung: 0,
  /** Shared-memory appends the worker has finished so far (the main thread waits on it). */
  appended: 1,
  /** How the last shared-memory append ended: `appendOk`, or `appendFailed` (its error travels as a message). */
  appendStatus: 2,
  /** Length in bytes of the encoded append request. */
  requestBytes: 3,
  /** 1 when the append runs inside the transaction already open, 0 for one of its own. */
  appendNested: 4,
  /** The request id of the shared-memory append, for its failure message. */
  appendId: 5,
} as const;

export const appendOk = 1;
export const appendFailed = 2;

/** Where request number n (1-based) says how it travels: as a message or in shared memory. */
export const Route = { message: 1, shared: 2 } as const;

/** Requests that can be outstanding at once; writes are serialised by the storage's mutex, so a few at most. */
export const ROUTES = 1024;
const CONTROL_BYTES = 64;
const ROUTES_OFFSET = CONTROL_BYTES;
const RESULTS_OFFSET = ROUTES_OFFSET + ROUTES * 4;
/** Highest ids one shared-memory append can return (one per document of a group commit). */
export const MAX_RESULTS = 4096;
const REQUEST_OFFSET = RESULTS_OFFSET + MAX_RESULTS * 8;
/** Appends larger than this (a pasted book) go as a message instead. */
export const REQUEST_CAPACITY = 1 << 20;

/** Views over one SharedArrayBuffer, the same layout on both threads. */
export interface ChannelViews {
  readonly control: Int32Array;
  readonly routes: Int32Array;
  readonly results: Float64Array;
  readonly request: Uint8Array;
  readonly requestView: DataView;
}

/** Allocates the shared memory of one writer. */
export function createChannelMemory(): SharedArrayBuffer {
  return new SharedArrayBuffer(REQUEST_OFFSET + REQUEST_CAPACITY);
}

export function channelViews(memory: SharedArrayBuffer): ChannelViews {
  return {
    control: new Int32Array(memory, 0, CONTROL_BYTES / 4),
    routes: new Int32Array(memory, ROUTES_OFFSET, ROUTES),
    results: new Float64Array(memory, RESULTS_OFFSET, MAX_RESULTS),
    request: new Uint8Array(memory, REQUEST_OFFSET, REQUEST_CAPACITY),
    requestView: new DataView(memory, REQUEST_OFFSET, REQUEST_CAPACITY),
  };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Writes `entries` into the request area (count, then per entry: document name, update count, each update
 * with its length); returns the bytes used, or null when they do not fit or are not a name and bytes (the
 * caller then sends a message, and the driver judges them as it judges any other request).
 */
export function encodeAppend(views: ChannelViews, entries: readonly AppendEntry[]): number | null {
  if (entries.length > MAX_RESULTS) return null;
  const { request, requestView } = views;
  let at = 0;
  const room = (bytes: number) => at + bytes <= REQUEST_CAPACITY;
  if (!room(4)) return null;
  requestView.setUint32(at, entries.length);
  at += 4;
  for (const { doc, updates } of entries) {
    if (typeof doc !== 'string') return null;
    // A UTF-8 name takes at most 3 bytes per UTF-16 unit.
    if (!room(8 + doc.length * 3)) return null;
    const written = encoder.encodeInto(doc, request.subarray(at + 4)).written;
    requestView.setUint32(at, written);
    at += 4 + written;
    requestView.setUint32(at, updates.length);
    at += 4;
    for (const update of updates) {
      if (!(update instanceof Uint8Array) || !room(4 + update.byteLength)) return null;
      requestView.setUint32(at, update.byteLength);
      request.set(update, at + 4);
      at += 4 + update.byteLength;
    }
  }
  return at;
}

/** Reads back what `encodeAppend` wrote, copied out of shared memory (the next request reuses it). */
export function decodeAppend(views: ChannelViews, bytes: number): AppendEntry[] {
  const { request, requestView } = views;
  let at = 0;
  const count = requestView.getUint32(at);
  at += 4;
  const entries: AppendEntry[] = [];
  for (let i = 0; i < count && at < bytes; i++) {
    const nameBytes = requestView.getUint32(at);
    const doc = decoder.decode(request.slice(at + 4, at + 4 + nameBytes));
    at += 4 + nameBytes;
    const updateCount = requestView.getUint32(at);
    at += 4;
    const updates: Uint8Array[] = [];
    for (let u = 0; u < updateCount; u++) {
      const length = requestView.getUint32(at);
      updates.push(request.slice(at + 4, at + 4 + length));
      at += 4 + length;
    }
    entries.push({ doc, updates });
  }
  return entries;
}
