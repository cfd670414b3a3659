import type {
  beforeHandleAwarenessPayload,
  beforeHandleMessagePayload,
  Connection,
  Extension,
} from '@hocuspocus/server';
import * as decoding from 'lib0/decoding';
import { frameType, MessageType, readHeader } from './protocol.ts';

/** The fields of a read-only connection's awareness state that are its own caret: who, and where. */
const CARET_FIELDS = ['user', 'cursor'];

/** An awareness state over the size limit: Hocuspocus closes that document connection with this. */
class AwarenessTooLarge extends Error {
  readonly code = 4413;
  readonly reason = 'awareness-too-large';
}

/**
 * What a connection may say about presence. Each connection owns one awareness client id: the first id it
 * sets a state for that no other connection holds. Entries for any other id are dropped (clients such as
 * y-websocket echo other people's states back; those are not theirs to set), so nobody can move, rename or
 * remove someone else's caret. A state larger than `maxStateBytes` closes the connection
 * (`awareness-too-large`). A read-only connection keeps only its own caret (`user`, `cursor`): it may be
 * seen, not broadcast anything else to the editors.
 */
export class AwarenessPolicy implements Extension {
  readonly extensionName = 'awarenessPolicy';
  /** The client ids and state sizes of the awareness frame a connection is about to apply. */
  private readonly sent = new WeakMap<Connection, Map<number, number | null>>();
  private readonly own = new WeakMap<Connection, number>();

  constructor(private readonly maxStateBytes: number) {}

  /** Reads the raw frame: Hocuspocus' decoded view below loses which ids the client really sent. */
  async beforeHandleMessage({ connection, update }: beforeHandleMessagePayload): Promise<void> {
    const entries = awarenessEntries(update);
    if (entries) this.sent.set(connection, entries);
  }

  async beforeHandleAwareness({ connection, document, states }: beforeHandleAwarenessPayload): Promise<void> {
    if (!connection) return;
    const sent = this.sent.get(connection) ?? new Map<number, number | null>();
    this.sent.delete(connection);
    for (const bytes of sent.values())
      if (bytes !== null && bytes > this.maxStateBytes) throw new AwarenessTooLarge('awareness-too-large');
    let own = this.own.get(connection);
    if (own === undefined) {
      const mine = document.getClients(connection);
      own = [...sent.entries()].find(
        ([id, bytes]) => bytes !== null && (mine.has(id) || !document.awareness.getStates().has(id)),
      )?.[0];
      if (own !== undefined) this.own.set(connection, own);
    }
    for (const [id, state] of [...states.entries()]) {
      if (id !== own || !sent.has(id)) states.delete(id);
      else if (connection.readOnly)
        states.set(id, Object.fromEntries(CARET_FIELDS.filter((f) => f in state).map((f) => [f, state[f]])));
    }
  }
}

/** Client id -> state size in bytes (null for a removal) of an awareness frame, or null for other frames. */
function awarenessEntries(frame: Uint8Array): Map<number, number | null> | null {
  // Every message passes here: most are not awareness, and their address need not be decoded.
  if (frameType(frame) !== MessageType.Awareness) return null;
  try {
    const { decoder } = readHeader(frame);
    const inner = decoding.createDecoder(decoding.readVarUint8Array(decoder));
    const entries = new Map<number, number | null>();
    for (let count = decoding.readVarUint(inner); count > 0; count--) {
      const id = decoding.readVarUint(inner);
      decoding.readVarUint(inner);
      const state = decoding.readVarUint8Array(inner);
      entries.set(id, state.length === 4 && String.fromCharCode(...state) === 'null' ? null : state.length);
    }
    return entries;
  } catch {
    // messageGuard refused unreadable frames before Hocuspocus saw them.
    return null;
  }
}
