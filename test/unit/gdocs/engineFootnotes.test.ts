/**
 * The Google Docs engine's footnotes (Docs API createFootnote and footnote segments): the reference goes inside
 * a body paragraph only, the new footnote holds a space and a newline and is named in the reply, text requests
 * address it by segmentId with indices from 0, its final newline cannot be deleted, tables, images and page
 * breaks cannot go in it, deleting the reference deletes the footnote, and targetRevisionId transforms each
 * segment over its own edits only.
 */
import { describe, expect, it } from 'vitest';
import { applyRequests, DocumentHistory } from '../../emulators/google/engine/index.ts';
import { bodyText, docWith, expectConsistentIndices, expectInvalid } from './engineHelpers.ts';

const footnoteText = (doc: ReturnType<typeof docWith>, id: string) =>
  (doc.footnotes?.[id]?.content ?? [])
    .flatMap((p) => (p.paragraph?.elements ?? []).map((e) => e.textRun?.content ?? ''))
    .join('');

function withFootnote(text = 'Claim here', at = 6) {
  const applied = applyRequests(docWith(text), [{ createFootnote: { location: { index: at } } }]);
  const id = applied.replies[0]!.createFootnote!.footnoteId!;
  return { doc: applied.document, id };
}

describe('Google Docs engine: footnotes', () => {
  it('creates a footnote reference in the body and names the new footnote, which holds a space and a newline', () => {
    const { doc, id } = withFootnote();
    expect(id).toMatch(/^kix\./);
    const element = doc.body!.content![1]!.paragraph!.elements!.find((e) => e.footnoteReference)!;
    expect(element).toMatchObject({
      startIndex: 6,
      endIndex: 7,
      footnoteReference: { footnoteId: id, footnoteNumber: '1' },
    });
    expect(doc.footnotes![id]!.content![0]).toMatchObject({ endIndex: 2 });
    expect(doc.footnotes![id]!.content![0]!.startIndex).toBeUndefined();
    expect(footnoteText(doc, id)).toBe(' \n');
    expectConsistentIndices(doc);
  });

  it('numbers footnotes in body order and drops a footnote with its reference', () => {
    const { doc, id } = withFootnote();
    const second = applyRequests(doc, [{ createFootnote: { location: { index: 2 } } }]);
    const first = second.replies[0]!.createFootnote!.footnoteId!;
    const refs = second.document.body!.content![1]!.paragraph!.elements!.flatMap((e) =>
      e.footnoteReference ? [e.footnoteReference] : [],
    );
    expect(refs.map((r) => [r.footnoteId, r.footnoteNumber])).toEqual([
      [first, '1'],
      [id, '2'],
    ]);
    const removed = applyRequests(second.document, [
      { deleteContentRange: { range: { startIndex: 2, endIndex: 3 } } },
    ]);
    expect(Object.keys(removed.document.footnotes ?? {})).toEqual([id]);
  });

  it('edits a footnote by segmentId with its own indices, keeping its final newline', () => {
    const { doc, id } = withFootnote();
    const edited = applyRequests(doc, [
      { insertText: { location: { index: 1, segmentId: id }, text: 'Source, page 12.' } },
      {
        updateTextStyle: {
          range: { startIndex: 1, endIndex: 7, segmentId: id },
          textStyle: { italic: true },
          fields: 'italic',
        },
      },
      { deleteContentRange: { range: { startIndex: 7, endIndex: 8, segmentId: id } } },
    ]).document;
    expect(footnoteText(edited, id)).toBe(' Source page 12.\n');
    expect(bodyText(edited)).toBe(bodyText(doc));
    expectInvalid(
      edited,
      [{ deleteContentRange: { range: { startIndex: 1, endIndex: 17, segmentId: id } } }],
      /newline character at the end of the segment/,
    );
    expectInvalid(
      edited,
      [{ insertText: { location: { index: 1, segmentId: 'kix.nope' }, text: 'x' } }],
      /does not refer to/,
    );
  });

  it('refuses a footnote inside a footnote, and tables, images and page breaks in a footnote', () => {
    const { doc, id } = withFootnote();
    expectInvalid(doc, [{ createFootnote: { location: { index: 1, segmentId: id } } }], /inside a footnote/);
    expectInvalid(
      doc,
      [{ insertTable: { rows: 1, columns: 1, location: { index: 1, segmentId: id } } }],
      /inside a footnote/,
    );
    expectInvalid(doc, [{ insertPageBreak: { location: { index: 1, segmentId: id } } }], /inside a footnote/);
    expectInvalid(
      doc,
      [{ insertInlineImage: { uri: 'https://example.org/a.png', location: { index: 1, segmentId: id } } }],
      /inside a footnote/,
    );
    expectInvalid(
      doc,
      [{ createFootnote: { endOfSegmentLocation: { segmentId: 'kix.header1' } } }],
      /segment ID must be empty/,
    );
  });

  it('transforms a late footnote edit over its own segment, not over the body', () => {
    const { doc, id } = withFootnote();
    const h = new DocumentHistory(
      applyRequests(doc, [{ insertText: { location: { index: 1, segmentId: id }, text: 'abc' } }]).document,
    );
    const seen = h.current.revisionId!;
    h.collaboratorEdit([{ insertText: { location: { index: 1 }, text: 'Body ' } }]);
    h.collaboratorEdit([{ insertText: { location: { index: 1, segmentId: id }, text: 'X' } }]);
    h.batchUpdate({
      requests: [{ insertText: { location: { index: 4, segmentId: id }, text: '!' } }],
      writeControl: { targetRevisionId: seen },
    });
    expect(footnoteText(h.current, id)).toBe(' Xabc!\n');
    expect(bodyText(h.current)).toContain('Body Claim');
  });
});
