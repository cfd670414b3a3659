import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/** The body of a protocol message as y-websocket sends it (no document address): type, then payload. */
function body(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** A Yjs update of a few random text edits by a fresh client. */
const yjsUpdate = fc
  .array(fc.tuple(fc.nat(20), fc.string({ maxLength: 12 }), fc.nat(4)), { minLength: 1, maxLength: 4 })
  .map((edits) => {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    for (const [at, insert, remove] of edits) {
      text.insert(Math.min(at, text.length), insert);
      text.delete(0, Math.min(remove, text.length));
    }
    return Y.encodeStateAsUpdate(doc);
  });

/** Well-formed message bodies of every type a client sends (sync, awareness, auth, stateless, query, close). */
export const validBody: fc.Arbitrary<Uint8Array> = fc.oneof(
  yjsUpdate.map((update) =>
    body((e) => {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 2);
      encoding.writeVarUint8Array(e, update);
    }),
  ),
  fc.constant(
    body((e) => {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc()));
    }),
  ),
  fc.tuple(fc.nat(2 ** 31), fc.nat(1000), fc.jsonValue({ maxDepth: 3 })).map(([id, clock, state]) =>
    body((e) => {
      encoding.writeVarUint(e, 1);
      const inner = encoding.createEncoder();
      encoding.writeVarUint(inner, 1);
      encoding.writeVarUint(inner, id);
      encoding.writeVarUint(inner, clock);
      encoding.writeVarString(inner, JSON.stringify(state) ?? 'null');
      encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
    }),
  ),
  fc.string({ maxLength: 40 }).map((token) =>
    body((e) => {
      encoding.writeVarUint(e, 2);
      encoding.writeVarUint(e, 0);
      encoding.writeVarString(e, token);
    }),
  ),
  fc.string({ maxLength: 40 }).map((payload) =>
    body((e) => {
      encoding.writeVarUint(e, 5);
      encoding.writeVarString(e, payload);
    }),
  ),
  fc.constantFrom(3, 6, 7, 8, 9, 10, 11, 255).map((type) => body((e) => encoding.writeVarUint(e, type))),
);

/** Byte-level damage: flip, insert, delete, truncate. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let out = [...bytes];
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % (out.length + 1);
    if (m.kind === 'set' && out.length > 0) out[at % out.length] = m.value;
    else if (m.kind === 'insert') out.splice(at, 0, m.value);
    else if (m.kind === 'delete') out.splice(at, 1);
    else if (m.kind === 'truncate') out = out.slice(0, at);
  }
  return new Uint8Array(out);
}

/** Message bodies a hostile or broken client might send: valid, mutated valid, or random bytes. */
export const hostileBody: fc.Arbitrary<Uint8Array> = fc.oneof(
  validBody,
  fc.tuple(validBody, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([b, m]) => mutate(b, m)),
  fc.uint8Array({ maxLength: 64 }),
);

/** Prepends a Hocuspocus document address: the given document, or (sometimes) a random one. */
export function addressed(doc: string): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(fc.oneof(fc.constant(doc), fc.constant(doc), fc.string({ maxLength: 20 })), hostileBody)
    .map(([address, payload]) =>
      body((e) => {
        encoding.writeVarString(e, address);
        encoding.writeUint8Array(e, payload);
      }),
    );
}
