import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * Message types of the Hocuspocus wire protocol (`@hocuspocus/server` MessageType). Every frame starts with
 * the document address (a var-string), then one of these as a var-uint.
 */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  SyncReply: 4,
  Stateless: 5,
  BroadcastStateless: 6,
  Close: 7,
  SyncStatus: 8,
  Ping: 9,
  Pong: 10,
} as const;

/** Sub-types of a Sync message (y-protocols/sync). */
export const SyncStep = { Step1: 0, Step2: 1, Update: 2 } as const;

/** Auth sub-types (`@hocuspocus/common` AuthMessageType). */
export const AuthType = { Token: 0, PermissionDenied: 1, Authenticated: 2 } as const;

/** Reads the address and type of a frame; the decoder is left at the payload. */
export function readHeader(frame: Uint8Array): { address: string; type: number; decoder: decoding.Decoder } {
  const decoder = decoding.createDecoder(frame);
  const address = decoding.readVarString(decoder);
  const type = decoding.readVarUint(decoder);
  return { address, type, decoder };
}

/**
 * The message type of a frame, read without decoding its address into a string: for code that looks at every
 * frame (each fan-out copy included) but acts on one type. Null when the frame ends before its type.
 */
export function frameType(frame: Uint8Array): number | null {
  const decoder = decoding.createDecoder(frame);
  try {
    const addressBytes = decoding.readVarUint(decoder);
    decoder.pos += addressBytes;
    return decoding.readVarUint(decoder);
  } catch {
    return null;
  }
}

/** The document name of an address (`name` or `name\0sessionId`). */
export function documentOf(address: string): string {
  const cut = address.indexOf('\0');
  return cut === -1 ? address : address.slice(0, cut);
}

/** Builds a frame: address, then the bytes written by `body`. */
export function frame(address: string, body: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, address);
  body(encoder);
  return encoding.toUint8Array(encoder);
}
