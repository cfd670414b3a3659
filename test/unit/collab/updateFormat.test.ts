import * as encoding from 'lib0/encoding';
import * as prng from 'lib0/prng';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { assertReadableUpdate } from '../../../server/collab/updateFormat.ts';

/** Every update `doc` emits while `edit` runs, plus the document's whole state at the end. */
function updatesOf(edit: (doc: Y.Doc) => void, gc = true): Uint8Array[] {
  const doc = new Y.Doc({ gc });
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  edit(doc);
  updates.push(Y.encodeStateAsUpdate(doc));
  return updates;
}

/** A legacy ContentJSON item (no current client writes it, old documents hold it): hand-encoded. */
function contentJsonUpdate(values: string[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1); // clients
  encoding.writeVarUint(encoder, 1); // structs
  encoding.writeVarUint(encoder, 7); // client
  encoding.writeVarUint(encoder, 0); // clock
  encoding.writeUint8(encoder, 2); // info: ContentJSON, no origins
  encoding.writeVarUint(encoder, 1); // parent is a root type...
  encoding.writeVarString(encoder, 'legacy'); // ...named
  encoding.writeVarUint(encoder, values.length);
  for (const value of values) encoding.writeVarString(encoder, value);
  encoding.writeVarUint(encoder, 0); // delete set
  return encoding.toUint8Array(encoder);
}

/** Updates with every struct and content kind: text, formats, embeds, deletes, GC and skips, maps, XML, subdocs. */
function corpus(): Uint8Array[] {
  const all: Uint8Array[] = [];
  all.push(
    ...updatesOf((doc) => {
      const text = doc.getText('text');
      text.insert(0, 'Hello wörld 👋');
      text.format(0, 5, { bold: true, link: { href: 'https://example.org' } });
      text.insertEmbed(3, { image: 'x.png' });
      text.delete(2, 4);
    }),
    ...updatesOf((doc) => {
      const map = doc.getMap('map');
      map.set('n', 1.5);
      map.set('big', 2n ** 40n);
      map.set('s', 'str');
      map.set('o', { a: [1, null, true, 'x'], b: { c: -3 } });
      map.set('u', undefined);
      map.set('bin', Uint8Array.of(1, 2, 3));
      const nested = new Y.Map<unknown>();
      map.set('nested', nested);
      nested.set('k', 'v');
      const array = new Y.Array<unknown>();
      map.set('array', array);
      array.insert(0, [1, 'two', { three: 3 }]);
      array.delete(1, 1);
      map.delete('s');
    }),
    ...updatesOf((doc) => {
      const fragment = doc.getXmlFragment('prosemirror');
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.setAttribute('align', 'left');
      const text = new Y.XmlText();
      text.insert(0, 'tracked', { strong: {} });
      paragraph.insert(0, [text]);
      // yjs' typings leave XmlHook out of what a fragment holds; its reader handles it.
      const hook = new Y.XmlHook('hook') as unknown as Y.XmlElement;
      fragment.insert(0, [paragraph, hook, new Y.XmlElement('hr')]);
      fragment.delete(1, 1);
    }),
    ...updatesOf((doc) => {
      const subdoc = new Y.Doc({ autoLoad: true });
      doc.getMap('docs').set('sub', subdoc);
    }),
    // GC structs: the content of a deleted nested type is garbage-collected.
    ...updatesOf((doc) => {
      const outer = doc.getArray<Y.Array<string>>('outer');
      const inner = new Y.Array<string>();
      outer.insert(0, [inner]);
      inner.insert(0, ['a', 'b']);
      outer.delete(0, 1);
    }),
    contentJsonUpdate(['{"a":1}', 'undefined', '[1,2]']),
  );
  // Skip structs: a merge of two updates of one client with a gap between them.
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (const word of ['one', 'two', 'three']) doc.getText('t').insert(0, word);
  all.push(Y.mergeUpdates([updates[0]!, updates[2]!]));
  return all;
}

function throws(read: () => void): boolean {
  try {
    read();
    return false;
  } catch {
    return true;
  }
}

/** True when both readers agree on `update`; the failing input is reported for a disagreement. */
function agree(update: Uint8Array): void {
  const ours = throws(() => assertReadableUpdate(update));
  const yjs = throws(() => Y.decodeUpdate(update));
  if (ours !== yjs) {
    throw new Error(
      `disagree (ours throws: ${ours}, yjs throws: ${yjs}) on ${Buffer.from(update).toString('hex')}`,
    );
  }
}

describe('assertReadableUpdate', () => {
  const updates = corpus();

  it('accepts every update yjs writes, of every struct and content kind', () => {
    expect(updates.length).toBeGreaterThan(20);
    for (const update of updates) {
      expect(() => Y.decodeUpdate(update)).not.toThrow();
      expect(() => assertReadableUpdate(update)).not.toThrow();
    }
    // The corpus covers the kinds it claims: Skip, GC and every content class but none.
    const kinds = new Set<string>();
    for (const update of updates) {
      for (const struct of Y.decodeUpdate(update).structs) {
        kinds.add(struct instanceof Y.Item ? struct.content.constructor.name : struct.constructor.name);
      }
    }
    expect([...kinds].sort()).toEqual(
      [
        'ContentAny',
        'ContentBinary',
        'ContentDeleted',
        'ContentDoc',
        'ContentEmbed',
        'ContentFormat',
        'ContentJSON',
        'ContentString',
        'ContentType',
        'GC',
        'Skip',
      ].sort(),
    );
  });

  it('throws exactly where Y.decodeUpdate throws: every byte of small updates set to every value', () => {
    let refused = 0;
    for (const update of updates.filter((u) => u.length <= 120)) {
      for (let at = 0; at < update.length; at++) {
        for (let value = 0; value < 256; value++) {
          const mutated = Uint8Array.from(update);
          mutated[at] = value;
          agree(mutated);
          if (throws(() => assertReadableUpdate(mutated))) refused += 1;
        }
      }
    }
    // The mutations did reach the refusing paths, not only harmless bytes.
    expect(refused).toBeGreaterThan(1000);
  });

  it('throws exactly where Y.decodeUpdate throws: truncations, insertions, random mutations, views into larger buffers', () => {
    const random = prng.create(0x5eed);
    for (const update of updates) {
      for (let end = 0; end <= update.length; end++) agree(update.subarray(0, end));
      // A view whose buffer continues past its end: readers must not read beyond the view in one and not the other.
      const padded = new Uint8Array(update.length + 64).fill(0xff);
      padded.set(update);
      for (let end = 0; end <= update.length; end++) agree(padded.subarray(0, end));
      for (let round = 0; round < 300; round++) {
        const mutated = Array.from(update);
        for (let edits = prng.uint32(random, 1, 4); edits > 0; edits--) {
          const at = prng.uint32(random, 0, mutated.length);
          const byte = prng.uint32(random, 0, 255);
          const kind = prng.uint32(random, 0, 2);
          if (kind === 0) mutated[at] = byte;
          else if (kind === 1) mutated.splice(at, 0, byte);
          else mutated.splice(at, 1);
        }
        agree(Uint8Array.from(mutated));
      }
    }
  });
});
