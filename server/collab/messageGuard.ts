import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { MessageType, readHeader, SyncStep } from './protocol.ts';
import { assertReadableUpdate } from './updateFormat.ts';

/** A frame that does not parse as the protocol says; the connection that sent it is closed with `reason`. */
export class MalformedMessageError extends Error {
  readonly code = 4400;
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** A lone Pong byte: the provider's answer to a connection-level Ping; carries nothing to handle. */
export function isPong(frame: Uint8Array): boolean {
  return frame.length === 1 && frame[0] === MessageType.Pong;
}

/**
 * Checks a client frame completely before Hocuspocus sees it, so that garbage can never half-apply to a
 * document: the header, the sync sub-message and its Yjs payload (read in full as `Y.decodeUpdate` reads it), the
 * awareness entries (each state must be JSON), the auth token. Server-internal opcodes are refused.
 */
export function assertWellFormed(frame: Uint8Array): void {
  let header: ReturnType<typeof readHeader>;
  try {
    header = readHeader(frame);
  } catch {
    throw new MalformedMessageError('malformed-message: unreadable header');
  }
  const { type, decoder, address } = header;
  if (address.length === 0) throw new MalformedMessageError('malformed-message: empty document name');
  try {
    switch (type) {
      case MessageType.Sync:
      case MessageType.SyncReply:
        checkSync(decoder);
        return;
      case MessageType.Awareness:
        checkAwareness(decoding.readVarUint8Array(decoder));
        return;
      case MessageType.Auth:
        decoding.readVarUint(decoder);
        decoding.readVarString(decoder);
        return;
      case MessageType.Stateless:
        decoding.readVarString(decoder);
        return;
      case MessageType.QueryAwareness:
      case MessageType.Close:
        return;
      default:
        throw new MalformedMessageError(`malformed-message: type ${type} is not accepted from clients`);
    }
  } catch (error) {
    if (error instanceof MalformedMessageError) throw error;
    throw new MalformedMessageError(`malformed-message: bad payload for type ${type}`);
  }
}

function checkSync(decoder: decoding.Decoder): void {
  const step = decoding.readVarUint(decoder);
  const payload = decoding.readVarUint8Array(decoder);
  if (step === SyncStep.Step1) {
    Y.decodeStateVector(payload);
  } else if (step === SyncStep.Step2 || step === SyncStep.Update) {
    assertReadableUpdate(payload);
  } else {
    throw new MalformedMessageError(`malformed-message: unknown sync step ${step}`);
  }
}

function checkAwareness(update: Uint8Array): void {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  for (let i = 0; i < count; i++) {
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    JSON.parse(decoding.readVarString(decoder));
  }
}
