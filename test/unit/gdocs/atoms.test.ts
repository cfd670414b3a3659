/**
 * Atoms survive: Google content the schema does not model (footnote references, equations, suggestions,
 * tables of contents) is never deleted and re-inserted by a push that keeps it, whatever is edited around it.
 */

import type { docs_v1 } from '@googleapis/docs';
import type { JSONContent } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import {
  batchUpdateFromDiff,
  footnoteFillRequests,
  readGoogleDoc,
} from '../../../connectors/google/convert/index.ts';
import { normalizeDoc } from '../../../connectors/model/schema.ts';
import { applyRequests, createDocument } from '../../emulators/google/engine/index.ts';
import { richDocument } from './richDocument.ts';

/** Index ranges of the non-text elements of a document. */
function atomRanges(
  doc: docs_v1.Schema$Document,
): Array<{ kind: string; start: number; end: number; json: string }> {
  const out: Array<{ kind: string; start: number; end: number; json: string }> = [];
  for (const el of doc.body!.content!) {
    if (el.tableOfContents) out.push({ kind: 'toc', start: el.startIndex!, end: el.endIndex!, json: '' });
    for (const pe of el.paragraph?.elements ?? []) {
      const kind = Object.keys(pe).find((k) => k !== 'startIndex' && k !== 'endIndex')!;
      const suggested = pe.textRun?.suggestedInsertionIds;
      if (kind !== 'textRun' || suggested) {
        const { startIndex: _s, endIndex: _e, ...rest } = pe;
        out.push({ kind, start: pe.startIndex!, end: pe.endIndex!, json: JSON.stringify(rest) });
      }
    }
  }
  return out;
}

function textsOf(node: JSONContent): string[] {
  return (node.content ?? []).map((n) => (n.type === 'text' ? n.text! : `<${n.attrs?.kind ?? n.type}>`));
}

/** Pushes an edit of the imported document; checks no request touches an atom's range; returns the result. */
function pushEdit(prev: docs_v1.Schema$Document, edit: (doc: JSONContent) => void) {
  const imported = readGoogleDoc(prev).doc;
  const next = structuredClone(imported);
  edit(next);
  const { requests } = batchUpdateFromDiff(prev, imported, next);
  const atoms = atomRanges(prev);
  // Requests run in order, from the end backwards: check each deletion against atoms still before it.
  for (const r of requests) {
    const range = r.deleteContentRange?.range;
    if (!range) continue;
    for (const a of atoms) expect(range.endIndex! <= a.start || range.startIndex! >= a.end).toBe(true);
  }
  const after = applyRequests(prev, requests).document;
  expect(readGoogleDoc(after).doc).toEqual(normalizeDoc(next));
  return { after, requests, next };
}

describe('atoms survive edits around them', () => {
  it('imports the Google-only elements as gdocs atoms', () => {
    const { doc } = readGoogleDoc(richDocument());
    expect(doc.content!.map((n) => n.type)).toEqual(['heading', 'atomBlock', 'paragraph', 'paragraph']);
    expect(textsOf(doc.content![2]!)).toEqual([
      'Energy ',
      '<equation>',
      ' is conserved',
      '<footnote>',
      ' here',
      '<suggestedInsertion>',
      '.',
    ]);
  });

  it('keeps the footnote reference, the equation and the suggestion when text around them changes', () => {
    const prev = richDocument();
    const { after } = pushEdit(prev, (doc) => {
      const p = doc.content![2]!.content!;
      p[0]!.text = 'Total energy ';
      p[2]!.text = ' is always conserved';
      p[4] = { type: 'text', text: ' (see note)', marks: [{ type: 'bold' }] };
      doc.content![0]!.content![0]!.text = 'Introduction';
      doc.content!.splice(3, 0, { type: 'paragraph', content: [{ type: 'text', text: 'New paragraph.' }] });
    });
    const before = atomRanges(prev).map((a) => [a.kind, a.json, a.end - a.start]);
    expect(atomRanges(after).map((a) => [a.kind, a.json, a.end - a.start])).toEqual(before);
  });

  it('deletes text right up to an atom without touching it, and deletes an atom the new document dropped', () => {
    const prev = richDocument();
    const { after } = pushEdit(prev, (doc) => {
      const p = doc.content![2]!.content!;
      p[0]!.text = 'E';
      p[2]!.text = ' ';
    });
    expect(atomRanges(after).map((a) => a.kind)).toEqual(['toc', 'equation', 'footnoteReference', 'textRun']);
    const dropped = applyRequests(
      prev,
      batchUpdateFromDiff(prev, readGoogleDoc(prev).doc, dropFootnote(readGoogleDoc(prev).doc)).requests,
    ).document;
    expect(atomRanges(dropped).map((a) => a.kind)).toEqual(['toc', 'equation', 'textRun']);
  });

  it('keeps a table of contents when the paragraphs around it are replaced', () => {
    const prev = richDocument();
    const { after } = pushEdit(prev, (doc) => {
      doc.content![0] = { type: 'paragraph', content: [{ type: 'text', text: 'No longer a heading' }] };
      doc.content![3] = {
        type: 'bulletList',
        content: [
          { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x' }] }] },
        ],
      };
      doc.content!.push({ type: 'paragraph' });
    });
    expect(atomRanges(after)[0]!.kind).toBe('toc');
  });

  it('writes an atom that Google cannot recreate (copied elsewhere) as its label, with a warning', () => {
    const prev = richDocument();
    const imported = readGoogleDoc(prev).doc;
    const next = structuredClone(imported);
    const equation = next.content![2]!.content!.find((n) => n.attrs?.kind === 'equation')!;
    next.content![3]!.content!.push(equation);
    const { requests, warnings } = batchUpdateFromDiff(prev, imported, next);
    expect(warnings.map((w) => w.code)).toContain('GDOCS_ATOM_AS_TEXT');
    const after = applyRequests(prev, requests).document;
    expect(textsOf(readGoogleDoc(after).doc.content![3]!).join('')).toBe(
      `Last paragraph.${equation.attrs!.label}`,
    );
  });

  it('creates a new footnote for a copy of a footnote, to be filled by a second batch', () => {
    const prev = richDocument();
    const imported = readGoogleDoc(prev).doc;
    const next = structuredClone(imported);
    const footnote = next.content![2]!.content![3]!;
    next.content![3]!.content!.push(footnote);
    const { requests, footnotes, warnings } = batchUpdateFromDiff(prev, imported, next);
    expect(warnings.map((w) => w.code)).not.toContain('GDOCS_ATOM_AS_TEXT');
    expect(requests.filter((r) => r.createFootnote)).toHaveLength(1);
    expect(footnotes).toEqual([
      { request: requests.findIndex((r) => r.createFootnote), note: footnote.content },
    ]);
    const first = applyRequests(prev, requests);
    const footnoteId = first.replies[footnotes[0]!.request]!.createFootnote!.footnoteId!;
    const second = applyRequests(
      first.document,
      footnoteFillRequests([{ footnoteId, note: footnote.content! }]),
    );
    const read = readGoogleDoc(second.document).doc;
    const notes = read.content!.flatMap((b) => (b.content ?? []).filter((n) => n.type === 'note'));
    expect(notes.map((n) => textsOf(n).join(''))).toEqual(['A note.', 'A note.']);
    expect(new Set(notes.map((n) => n.attrs!.payload)).size).toBe(2);
  });
});

function dropFootnote(doc: JSONContent): JSONContent {
  const next = structuredClone(doc);
  next.content![2]!.content!.splice(3, 1);
  return next;
}

describe('images', () => {
  it('inserts an image with a public URL and skips a data: URL with a warning', () => {
    const prev = applyRequests(createDocument('img'), [
      { insertText: { location: { index: 1 }, text: 'ab' } },
    ]).document;
    const imported = readGoogleDoc(prev).doc;
    const next = structuredClone(imported);
    next.content![0]!.content = [
      { type: 'text', text: 'a' },
      { type: 'image', attrs: { src: 'https://example.com/x.png' } },
      { type: 'text', text: 'b' },
      { type: 'image', attrs: { src: 'data:image/png;base64,AAAA' } },
    ];
    const { requests, warnings } = batchUpdateFromDiff(prev, imported, next);
    expect(requests).toEqual([
      { insertInlineImage: { location: { index: 2 }, uri: 'https://example.com/x.png' } },
    ]);
    expect(warnings.map((w) => w.code)).toEqual(['GDOCS_IMAGE_NOT_PUBLIC']);
    const uploaded = batchUpdateFromDiff(prev, imported, next, {
      imageUri: (src) => (src.startsWith('data:') ? 'https://cdn.test/up.png' : src),
    });
    expect(uploaded.requests).toHaveLength(2);
  });
});
