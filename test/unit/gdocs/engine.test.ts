/**
 * The Google Docs engine against remote-apis.md section A: one test per documented rule of documents.get
 * shapes and batchUpdate semantics (text, paragraphs, styles, bullets).
 */
import { describe, expect, it } from 'vitest';
import { applyRequests, createDocument } from '../../emulators/google/engine/index.ts';
import {
  apply,
  bodyText,
  docWith,
  expectConsistentIndices,
  expectInvalid,
  paragraphs,
} from './engineHelpers.ts';

describe('Google Docs engine: document shape', () => {
  it('starts with a section break ending at 1 (no startIndex) and a first paragraph at index 1', () => {
    const doc = createDocument('Shape');
    const [first, second] = doc.body!.content!;
    expect(first).toEqual({
      endIndex: 1,
      sectionBreak: expect.objectContaining({ sectionStyle: expect.any(Object) }),
    });
    expect(second!.startIndex).toBe(1);
    expect(second!.paragraph!.elements![0]!.textRun!.content).toBe('\n');
    expect(doc.title).toBe('Shape');
    expect(doc.revisionId).toEqual(expect.any(String));
    expect(doc.namedStyles?.styles?.map((s) => s.namedStyleType)).toContain('HEADING_6');
  });

  it('counts indices in UTF-16 code units (an emoji outside the BMP is 2)', () => {
    const doc = docWith('a😀b');
    const run = paragraphs(doc)[0]!.paragraph!.elements![0]!;
    expect(run.endIndex! - run.startIndex!).toBe(5);
    expectConsistentIndices(doc);
  });

  it('rejects an insert or delete that would split a surrogate pair', () => {
    const doc = docWith('a😀b');
    expectInvalid(doc, [{ insertText: { location: { index: 3 }, text: 'x' } }], /surrogate pair/);
    expectInvalid(doc, [{ deleteContentRange: { range: { startIndex: 2, endIndex: 3 } } }], /surrogate pair/);
    expect(bodyText(apply(doc, [{ deleteContentRange: { range: { startIndex: 2, endIndex: 4 } } }]))).toBe(
      'ab\n',
    );
  });

  it('ends every paragraph with \\n inside its last text run, and merges runs of equal style', () => {
    const doc = docWith('one\ntwo\nthree');
    expect(paragraphs(doc).map((p) => p.paragraph!.elements!.map((e) => e.textRun!.content))).toEqual([
      ['one\n'],
      ['two\n'],
      ['three\n'],
    ]);
    expectConsistentIndices(doc);
  });

  it('gives headings a namedStyleType and a headingId; NORMAL_TEXT has none', () => {
    const doc = apply(docWith('Title\nBody'), [
      {
        updateParagraphStyle: {
          range: { startIndex: 1, endIndex: 2 },
          paragraphStyle: { namedStyleType: 'HEADING_2' },
          fields: 'namedStyleType',
        },
      },
    ]);
    const [h, p] = paragraphs(doc);
    expect(h!.paragraph!.paragraphStyle).toMatchObject({
      namedStyleType: 'HEADING_2',
      headingId: expect.stringMatching(/^h\./),
    });
    expect(p!.paragraph!.paragraphStyle!.namedStyleType).toBe('NORMAL_TEXT');
    expect(p!.paragraph!.paragraphStyle!.headingId).toBeUndefined();
  });

  it('keeps in textStyle only the fields that are set', () => {
    const doc = apply(docWith('plain bold'), [
      {
        updateTextStyle: {
          range: { startIndex: 7, endIndex: 11 },
          textStyle: { bold: true, italic: false },
          fields: 'bold,italic',
        },
      },
    ]);
    const runs = paragraphs(doc)[0]!.paragraph!.elements!;
    expect(runs.map((r) => r.textRun!.textStyle)).toEqual([{}, { bold: true }, {}]);
  });

  it('keeps suggested runs of a loaded document with their ids and indices', () => {
    const doc = docWith('ab');
    const para = paragraphs(doc)[0]!.paragraph!;
    para.elements = [
      { startIndex: 1, endIndex: 2, textRun: { content: 'a', textStyle: {} } },
      {
        startIndex: 2,
        endIndex: 5,
        textRun: { content: 'new', textStyle: {}, suggestedInsertionIds: ['suggest.1'] },
      },
      { startIndex: 5, endIndex: 7, textRun: { content: 'b\n', textStyle: {} } },
    ];
    const out = apply(doc, [{ insertText: { location: { index: 7 - 1 }, text: '!' } }]);
    const runs = paragraphs(out)[0]!.paragraph!.elements!;
    expect(runs[1]).toMatchObject({
      startIndex: 2,
      endIndex: 5,
      textRun: { suggestedInsertionIds: ['suggest.1'] },
    });
    expect(bodyText(out)).toBe('anewb!\n');
  });
});

describe('Google Docs engine: batchUpdate semantics', () => {
  it('applies a batch atomically: one invalid request applies nothing and the error names it', () => {
    const doc = docWith('hello');
    const err = expectInvalid(
      doc,
      [
        { insertText: { location: { index: 1 }, text: 'A' } },
        { deleteContentRange: { range: { startIndex: 1, endIndex: 99 } } },
      ],
      /^Invalid requests\[1\]\.deleteContentRange: /,
    );
    expect(err.toBody()).toEqual({ error: { code: 400, message: err.message, status: 'INVALID_ARGUMENT' } });
    expect(bodyText(doc)).toBe('hello\n');
  });

  it('lets each request see the indices the previous ones produced', () => {
    const doc = apply(docWith('abc'), [
      { insertText: { location: { index: 1 }, text: 'XY' } },
      { deleteContentRange: { range: { startIndex: 3, endIndex: 4 } } },
    ]);
    expect(bodyText(doc)).toBe('XYbc\n');
  });

  it('answers one reply per request and a new opaque revision id for every batch', () => {
    const doc = docWith('x');
    const out = applyRequests(doc, [
      { insertText: { location: { index: 1 }, text: 'y' } },
      { insertInlineImage: { location: { index: 1 }, uri: 'https://example.com/a.png' } },
      { replaceAllText: { containsText: { text: 'Y', matchCase: false }, replaceText: 'z' } },
    ]);
    expect(out.replies).toHaveLength(3);
    expect(out.replies[0]).toEqual({});
    expect(out.replies[1]!.insertInlineImage!.objectId).toEqual(expect.any(String));
    expect(out.replies[2]).toEqual({ replaceAllText: { occurrencesChanged: 1 } });
    expect(out.document.revisionId).not.toBe(doc.revisionId);
  });

  it('rejects an empty request list, unknown kinds and unknown fields', () => {
    const doc = docWith('x');
    expect(() => applyRequests(doc, [])).toThrow(/at least one request/);
    expectInvalid(doc, [{ frobnicate: {} }], /Unknown name "frobnicate"/);
    expectInvalid(doc, [{ insertText: { location: { index: 1 }, text: 'a', colour: 'red' } }], /insertText/);
  });
});

describe('Google Docs engine: insertText', () => {
  it('requires the index to fall inside an existing paragraph, not past the end', () => {
    const doc = docWith('ab');
    expectInvalid(doc, [{ insertText: { location: { index: 4 }, text: 'x' } }], /less than the end index/);
    expectInvalid(doc, [{ insertText: { location: { index: 0 }, text: 'x' } }], /greater than or equal to 1/);
    expectInvalid(doc, [{ insertText: { location: { index: 1 }, text: '' } }], /must specify text/);
  });

  it('refuses a table start index: text goes into the paragraph before it', () => {
    const doc = apply(docWith('ab'), [{ insertTable: { rows: 1, columns: 1, location: { index: 3 } } }]);
    const table = doc.body!.content!.find((e) => e.table)!;
    expectInvalid(
      doc,
      [{ insertText: { location: { index: table.startIndex! }, text: 'x' } }],
      /inside the bounds of an existing paragraph/,
    );
    expect(
      bodyText(apply(doc, [{ insertText: { location: { index: table.startIndex! - 1 }, text: 'x' } }])),
    ).toMatch(/^abx\n/);
  });

  it('splits paragraphs on \\n, the new paragraph copying the paragraph style and bullets', () => {
    let doc = apply(docWith('item'), [
      {
        createParagraphBullets: {
          range: { startIndex: 1, endIndex: 2 },
          bulletPreset: 'BULLET_DISC_CIRCLE_SQUARE',
        },
      },
    ]);
    doc = apply(doc, [{ insertText: { location: { index: 5 }, text: '\nnext' } }]);
    const [a, b] = paragraphs(doc);
    expect(b!.paragraph!.bullet!.listId).toBe(a!.paragraph!.bullet!.listId);
    expect(bodyText(doc)).toBe('item\nnext\n');
  });

  it('gives inserted text the style of the text before it (links excepted)', () => {
    const doc = apply(docWith('ab'), [
      {
        updateTextStyle: {
          range: { startIndex: 1, endIndex: 2 },
          textStyle: { italic: true, link: { url: 'https://x.test' } },
          fields: 'italic,link',
        },
      },
      { insertText: { location: { index: 2 }, text: 'Z' } },
    ]);
    const runs = paragraphs(doc)[0]!.paragraph!.elements!;
    expect(runs[0]!.textRun!.textStyle).toMatchObject({
      italic: true,
      underline: true,
      link: { url: 'https://x.test' },
    });
    expect(runs[1]!.textRun).toEqual({ content: 'Z', textStyle: { italic: true } });
  });

  it('inserts at the end of the body with endOfSegmentLocation, and knows no other segment', () => {
    const doc = apply(docWith('ab'), [{ insertText: { endOfSegmentLocation: {}, text: 'c' } }]);
    expect(bodyText(doc)).toBe('abc\n');
    expectInvalid(
      doc,
      [{ insertText: { location: { index: 1, segmentId: 'kix.header1' }, text: 'x' } }],
      /segment ID/,
    );
    expectInvalid(
      doc,
      [{ insertText: { location: { index: 1 }, endOfSegmentLocation: {}, text: 'x' } }],
      /only one of/,
    );
  });

  it('strips control characters and private-use characters, keeping tab, newline and vertical tab', () => {
    const doc = docWith('a\u0001b\uE000c\td\u000be\rf');
    expect(bodyText(doc)).toBe('abc\td\u000bef\n');
  });
});

describe('Google Docs engine: deleteContentRange', () => {
  it('may cross paragraph boundaries: the paragraphs merge, the first keeping its style', () => {
    let doc = apply(docWith('Head\nbody'), [
      {
        updateParagraphStyle: {
          range: { startIndex: 1, endIndex: 2 },
          paragraphStyle: { namedStyleType: 'HEADING_1' },
          fields: 'namedStyleType',
        },
      },
    ]);
    doc = apply(doc, [{ deleteContentRange: { range: { startIndex: 3, endIndex: 8 } } }]);
    expect(bodyText(doc)).toBe('Hedy\n');
    expect(paragraphs(doc)[0]!.paragraph!.paragraphStyle!.namedStyleType).toBe('HEADING_1');
  });

  it('may not delete the final newline of the body', () => {
    expectInvalid(
      docWith('ab'),
      [{ deleteContentRange: { range: { startIndex: 1, endIndex: 4 } } }],
      /newline character at the end of the segment/,
    );
  });

  it('may not delete the final newline of a table cell, but may empty the cell', () => {
    const doc = apply(docWith(''), [
      { insertTable: { rows: 1, columns: 2, location: { index: 1 } } },
      { insertText: { location: { index: 5 }, text: 'xy' } },
    ]);
    expectInvalid(
      doc,
      [{ deleteContentRange: { range: { startIndex: 5, endIndex: 8 } } }],
      /end of a table cell|part of a table/,
    );
    expect(bodyText(apply(doc, [{ deleteContentRange: { range: { startIndex: 5, endIndex: 7 } } }]))).toBe(
      '\n\n\n\n',
    );
  });

  it('may not delete part of a table, but may delete a whole table', () => {
    const doc = apply(docWith('ab'), [{ insertTable: { rows: 2, columns: 2, location: { index: 3 } } }]);
    const table = doc.body!.content!.find((e) => e.table)!;
    expectInvalid(
      doc,
      [{ deleteContentRange: { range: { startIndex: table.startIndex!, endIndex: table.startIndex! + 3 } } }],
      /part of a table/,
    );
    const out = apply(doc, [
      { deleteContentRange: { range: { startIndex: table.startIndex!, endIndex: table.endIndex! } } },
    ]);
    expect(out.body!.content!.some((e) => e.table)).toBe(false);
    expectConsistentIndices(out);
  });

  it('may not delete the newline before a table without the table', () => {
    const doc = apply(docWith('ab'), [{ insertTable: { rows: 1, columns: 1, location: { index: 3 } } }]);
    const table = doc.body!.content!.find((e) => e.table)!;
    expectInvalid(
      doc,
      [{ deleteContentRange: { range: { startIndex: table.startIndex! - 1, endIndex: table.startIndex! } } }],
      /newline before a table/,
    );
  });

  it('may not delete part of an element wider than one index (an equation)', () => {
    const doc = docWith('ab');
    const para = paragraphs(doc)[0]!.paragraph!;
    para.elements = [
      { startIndex: 1, endIndex: 2, textRun: { content: 'a', textStyle: {} } },
      { startIndex: 2, endIndex: 5, equation: {} },
      { startIndex: 5, endIndex: 7, textRun: { content: 'b\n', textStyle: {} } },
    ];
    expectInvalid(
      doc,
      [{ deleteContentRange: { range: { startIndex: 3, endIndex: 6 } } }],
      /inside a paragraph element/,
    );
    expectInvalid(doc, [{ insertText: { location: { index: 3 }, text: 'x' } }], /inside a paragraph element/);
    expect(bodyText(apply(doc, [{ deleteContentRange: { range: { startIndex: 2, endIndex: 5 } } }]))).toBe(
      'ab\n',
    );
  });
});
