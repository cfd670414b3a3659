import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';

// The struct info byte of the Yjs update format (v1), as `lazyStructReaderGenerator` in yjs reads it.
const CONTENT_REF = 0b1_1111;
const HAS_PARENT_SUB = 0b10_0000;
const HAS_RIGHT_ORIGIN = 0b100_0000;
const HAS_ORIGIN = 0b1000_0000;
const SKIP = 10;
const CONTENT_DOC = 9;
const TYPE_XML_ELEMENT = 3;
const TYPE_XML_HOOK = 5;
const LAST_TYPE_REF = 6;

/**
 * Throws exactly when `Y.decodeUpdate(update)` throws, having read the same bytes with the same lib0 readers in
 * the same order, but without building what it builds (an Item, its ID objects and content per struct, a
 * generator, a delete set): checking every incoming update that way was the largest piece of our code on the
 * event loop. Strings, JSON and `any` values are still decoded, since a malformed one must be refused. An update
 * holding a subdocument is rare and its reader builds a `Y.Doc` from the update's options: that one is handed to
 * `Y.decodeUpdate` itself. Pinned against `Y.decodeUpdate` by test/unit/collab/updateFormat.test.ts.
 */
export function assertReadableUpdate(update: Uint8Array): void {
  const decoder = decoding.createDecoder(update);
  const clients = decoding.readVarUint(decoder);
  for (let c = 0; c < clients; c++) {
    const structs = decoding.readVarUint(decoder);
    decoding.readVarUint(decoder); // client
    decoding.readVarUint(decoder); // clock
    for (let s = 0; s < structs; s++) {
      // Past the end this is undefined, as in yjs: read as a GC struct, whose length then fails to read.
      const info = decoding.readUint8(decoder) as number | undefined;
      if (info === SKIP || ((info ?? 0) & CONTENT_REF) === 0) {
        decoding.readVarUint(decoder); // length
      } else if (!readItem(decoder, info!)) {
        Y.decodeUpdate(update);
        return;
      }
    }
  }
  const deleted = decoding.readVarUint(decoder);
  for (let c = 0; c < deleted; c++) {
    decoding.readVarUint(decoder); // client
    const ranges = decoding.readVarUint(decoder);
    for (let r = 0; r < ranges; r++) {
      decoding.readVarUint(decoder); // clock
      decoding.readVarUint(decoder); // length
    }
  }
}

/** Reads one Item; false (having read part of it) for a subdocument, which the caller checks with yjs. */
function readItem(decoder: decoding.Decoder, info: number): boolean {
  const readsParent = (info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN)) === 0;
  if (info & HAS_ORIGIN) readId(decoder);
  if (info & HAS_RIGHT_ORIGIN) readId(decoder);
  if (readsParent) {
    if (decoding.readVarUint(decoder) === 1) decoding.readVarString(decoder);
    else readId(decoder);
    if (info & HAS_PARENT_SUB) decoding.readVarString(decoder);
  }
  return readContent(decoder, info & CONTENT_REF);
}

function readId(decoder: decoding.Decoder): void {
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
}

/** The content readers of yjs' `contentRefs`, by reference number. */
function readContent(decoder: decoding.Decoder, ref: number): boolean {
  switch (ref) {
    case 1: // deleted
      decoding.readVarUint(decoder);
      return true;
    case 2: {
      // JSON (legacy): each value a JSON text, or the word undefined
      const length = decoding.readVarUint(decoder);
      for (let i = 0; i < length; i++) {
        const value = decoding.readVarString(decoder);
        if (value !== 'undefined') JSON.parse(value);
      }
      return true;
    }
    case 3: // binary
      decoding.readVarUint8Array(decoder);
      return true;
    case 4: // string
      decoding.readVarString(decoder);
      return true;
    case 5: // embed
      JSON.parse(decoding.readVarString(decoder));
      return true;
    case 6: // format: key, JSON value
      decoding.readVarString(decoder);
      JSON.parse(decoding.readVarString(decoder));
      return true;
    case 7: {
      // type: its reference, and the node name of an XML element or hook
      const type = decoding.readVarUint(decoder);
      if (type > LAST_TYPE_REF) throw new Error(`unknown type reference ${type}`);
      if (type === TYPE_XML_ELEMENT || type === TYPE_XML_HOOK) decoding.readVarString(decoder);
      return true;
    }
    case 8: {
      // any
      const length = decoding.readVarUint(decoder);
      for (let i = 0; i < length; i++) decoding.readAny(decoder);
      return true;
    }
    case CONTENT_DOC:
      return false;
    default:
      throw new Error(`unknown content reference ${ref}`);
  }
}
