import type { JSONContent } from '@tiptap/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { validateDoc } from '../../../connectors/model/schema.ts';
import { applyJsonToFragment, documentFragment, fromYjs, toYjs } from '../../../connectors/model/yjs.ts';
import { allFeatures, arbitraryDoc, canonicalDoc } from './arbitraryDoc.ts';

const docArb = arbitraryDoc(allFeatures);

function paragraphs(texts: string[]): JSONContent {
  return {
    type: 'doc',
    content: texts.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
  };
}

/** Two peers of a document "one" then an empty paragraph (no text run in it yet). */
function peersOverEmptyParagraph(): { a: Y.Doc; b: Y.Doc } {
  const a = toYjs({
    type: 'doc',
    content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }, { type: 'paragraph' }],
  });
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  return { a, b };
}

function exchange(a: Y.Doc, b: Y.Doc): void {
  const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, toB);
  Y.applyUpdate(a, toA);
}

describe('toYjs / fromYjs', () => {
  it('round-trips any schema document', () => {
    fc.assert(
      fc.property(docArb, (doc) => {
        expect(fromYjs(toYjs(doc))).toEqual(canonicalDoc(doc));
      }),
      { numRuns: 60 },
    );
  });

  it('reads an empty fragment as one empty paragraph', () => {
    expect(fromYjs(new Y.Doc())).toEqual({ type: 'doc', content: [{ type: 'paragraph' }] });
  });
});

describe('applyJsonToFragment', () => {
  it('makes the fragment equal to any target document, from any start', () => {
    fc.assert(
      fc.property(docArb, docArb, (start, target) => {
        const ydoc = toYjs(start);
        applyJsonToFragment(documentFragment(ydoc), target);
        expect(fromYjs(ydoc)).toEqual(canonicalDoc(target));
      }),
      { numRuns: 60 },
    );
  });

  it('concurrent applications on two peers converge to one valid document when exchanged', () => {
    fc.assert(
      fc.property(
        docArb,
        fc.array(fc.tuple(fc.boolean(), docArb), { minLength: 1, maxLength: 4 }),
        (start, edits) => {
          const a = toYjs(start);
          const b = new Y.Doc();
          Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
          edits.forEach(([onA, target], i) => {
            applyJsonToFragment(documentFragment(onA ? a : b), target, 'test');
            if (i % 2 === 1) exchange(a, b);
          });
          exchange(a, b);
          const jsonA = fromYjs(a);
          const jsonB = fromYjs(b);
          exchange(a, b); // fromYjs may repair invalid merged structure; exchange those repairs too
          expect(fromYjs(a)).toEqual(fromYjs(b));
          expect(jsonA).toEqual(jsonB);
          validateDoc(fromYjs(a));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('keeps what a peer typed into a paragraph another peer cleared meanwhile', () => {
    const a = toYjs(paragraphs(['one', 'two']));
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    applyJsonToFragment(documentFragment(a), {
      type: 'doc',
      content: [{ type: 'paragraph' }, { type: 'paragraph', content: [{ type: 'text', text: 'two' }] }],
    });
    applyJsonToFragment(documentFragment(b), paragraphs(['one typed', 'two']));
    exchange(a, b);
    expect(fromYjs(a)).toEqual(canonicalDoc(paragraphs([' typed', 'two'])));
    expect(fromYjs(b)).toEqual(fromYjs(a));
    // The same content writes nothing, also for a paragraph whose emptied run is kept.
    const updates: Uint8Array[] = [];
    a.on('update', (update: Uint8Array) => updates.push(update));
    applyJsonToFragment(documentFragment(a), paragraphs([' typed', 'two']));
    applyJsonToFragment(documentFragment(a), {
      type: 'doc',
      content: [{ type: 'paragraph' }, { type: 'paragraph', content: [{ type: 'text', text: 'two' }] }],
    });
    expect(updates).toHaveLength(1);
    applyJsonToFragment(documentFragment(a), {
      type: 'doc',
      content: [{ type: 'paragraph' }, { type: 'paragraph', content: [{ type: 'text', text: 'two' }] }],
    });
    expect(updates).toHaveLength(1);
  });

  it('edits a paragraph holding two text runs (concurrent typing into it when empty) without moving text between them', () => {
    const { a, b } = peersOverEmptyParagraph();
    // Each peer types into the empty paragraph: each makes a text run of its own there.
    applyJsonToFragment(documentFragment(a), paragraphs(['one', 'AAA']));
    applyJsonToFragment(documentFragment(b), paragraphs(['one', 'BBB']));
    exchange(a, b);
    const runs = (documentFragment(a).get(1) as Y.XmlElement).toArray() as Y.XmlText[];
    expect(runs.filter((run) => run.length > 0)).toHaveLength(2);
    // The peer that made the second run joins it onto the first when it reads (y-prosemirror does), while
    // the other peer edits the document elsewhere: the runs' text must still be there once.
    const [reader, editor] = runs[1]!._item!.id.client === a.clientID ? [a, b] : [b, a];
    const both = fromYjs(editor).content![1]!.content![0]!.text!;
    fromYjs(reader);
    applyJsonToFragment(documentFragment(editor), paragraphs(['one!', both]));
    exchange(a, b);
    expect(fromYjs(a)).toEqual(canonicalDoc(paragraphs(['one!', both])));
    expect(fromYjs(b)).toEqual(fromYjs(a));
  });

  it("types at the end of a paragraph's two text runs into a run of its own, not the other peer's second run", () => {
    const { a, b } = peersOverEmptyParagraph();
    // Yjs puts the lower client's run first: a's, then b's.
    a.clientID = 1;
    b.clientID = 2;
    applyJsonToFragment(documentFragment(a), paragraphs(['one', 'AAA']));
    applyJsonToFragment(documentFragment(b), paragraphs(['one', 'BBB']));
    exchange(a, b);
    // a types at the end while b's reader (y-prosemirror) joins b's run, the second, into a's.
    applyJsonToFragment(documentFragment(a), paragraphs(['one', 'AAABBBCCC']));
    fromYjs(b);
    exchange(a, b);
    expect(fromYjs(a)).toEqual(canonicalDoc(paragraphs(['one', 'AAABBBCCC'])));
    expect(fromYjs(b)).toEqual(fromYjs(a));
  });

  it('tags the transaction with the given origin', () => {
    const ydoc = toYjs(paragraphs(['a']));
    const origins: unknown[] = [];
    ydoc.on('afterTransaction', (tr) => origins.push(tr.origin));
    applyJsonToFragment(documentFragment(ydoc), paragraphs(['b']), 'link-1');
    expect(origins).toEqual(['link-1']);
  });

  it('turns a small edit of a big document into a small update', () => {
    const texts = Array.from({ length: 2000 }, (_, i) => `Paragraph ${i} with some ordinary words in it.`);
    const ydoc = toYjs(paragraphs(texts));
    const full = Y.encodeStateAsUpdate(ydoc).length;
    const measure = (next: string[]) => {
      const before = Y.encodeStateVector(ydoc);
      applyJsonToFragment(documentFragment(ydoc), paragraphs(next));
      expect(fromYjs(ydoc)).toEqual(canonicalDoc(paragraphs(next)));
      return Y.encodeStateAsUpdate(ydoc, before).length;
    };
    const oneWord = [...texts];
    oneWord[1000] = 'Paragraph 1000 with some unusual words in it.';
    const wordBytes = measure(oneWord);
    const inserted = [...oneWord.slice(0, 700), 'A new paragraph.', ...oneWord.slice(700)];
    const insertBytes = measure(inserted);
    const deleted = inserted.filter((_, i) => i !== 1500);
    const deleteBytes = measure(deleted);
    console.info(
      `full doc ${full} B; one-word edit ${wordBytes} B; insert ${insertBytes} B; delete ${deleteBytes} B`,
    );
    expect(full).toBeGreaterThan(80_000);
    expect(wordBytes).toBeLessThan(200);
    expect(insertBytes).toBeLessThan(200);
    expect(deleteBytes).toBeLessThan(200);
  });
});
