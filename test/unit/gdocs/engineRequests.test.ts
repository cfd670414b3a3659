/**
 * The Google Docs engine against remote-apis.md section A: styles with field masks, bullets from presets
 * and leading tabs, inline images, page breaks, replaceAllText, the error type.
 */
import { describe, expect, it } from 'vitest';
import { GoogleApiError } from '../../emulators/google/engine/index.ts';
import { apply, bodyText, docWith, expectInvalid, paragraphs } from './engineHelpers.ts';

describe('Google Docs engine: styles, bullets, objects', () => {
  it('requires a fields mask; unlisted fields stay, listed fields without value reset, "*" means all', () => {
    const doc = docWith('abc');
    expectInvalid(
      doc,
      [{ updateTextStyle: { range: { startIndex: 1, endIndex: 2 }, textStyle: { bold: true } } }],
      /fields is required/,
    );
    const styled = apply(doc, [
      {
        updateTextStyle: {
          range: { startIndex: 1, endIndex: 4 },
          textStyle: { bold: true, italic: true },
          fields: 'bold,italic',
        },
      },
    ]);
    const partial = apply(styled, [
      { updateTextStyle: { range: { startIndex: 1, endIndex: 4 }, textStyle: {}, fields: 'bold' } },
    ]);
    expect(paragraphs(partial)[0]!.paragraph!.elements![0]!.textRun!.textStyle).toEqual({ italic: true });
    const all = apply(styled, [
      {
        updateTextStyle: {
          range: { startIndex: 1, endIndex: 4 },
          textStyle: { underline: true },
          fields: '*',
        },
      },
    ]);
    expect(paragraphs(all)[0]!.paragraph!.elements![0]!.textRun!.textStyle).toEqual({ underline: true });
    expectInvalid(
      doc,
      [
        {
          updateParagraphStyle: { range: { startIndex: 1, endIndex: 2 }, paragraphStyle: {}, fields: 'nope' },
        },
      ],
      /Unknown or read-only field/,
    );
  });

  it('takes the nesting level from leading tabs, removes them, and keeps the indent when bullets are deleted', () => {
    const doc = apply(docWith('a\n\t\tb'), [
      {
        createParagraphBullets: {
          range: { startIndex: 1, endIndex: 6 },
          bulletPreset: 'NUMBERED_DECIMAL_ALPHA_ROMAN',
        },
      },
    ]);
    const [a, b] = paragraphs(doc);
    expect(bodyText(doc)).toBe('a\nb\n');
    expect(a!.paragraph!.bullet!.nestingLevel).toBeUndefined();
    expect(b!.paragraph!.bullet!.nestingLevel).toBe(2);
    const levels = doc.lists![a!.paragraph!.bullet!.listId!]!.listProperties!.nestingLevels!;
    expect(levels.map((l) => l.glyphType).slice(0, 3)).toEqual(['DECIMAL', 'ALPHA', 'ROMAN']);
    const bullets = apply(docWith('x'), [
      {
        createParagraphBullets: {
          range: { startIndex: 1, endIndex: 2 },
          bulletPreset: 'BULLET_DISC_CIRCLE_SQUARE',
        },
      },
    ]);
    const listId = paragraphs(bullets)[0]!.paragraph!.bullet!.listId!;
    expect(bullets.lists![listId]!.listProperties!.nestingLevels![0]!.glyphSymbol).toBe('\u25cf');
    const removed = apply(doc, [{ deleteParagraphBullets: { range: { startIndex: 3, endIndex: 4 } } }]);
    expect(paragraphs(removed)[1]!.paragraph!.bullet).toBeUndefined();
    expect(paragraphs(removed)[1]!.paragraph!.paragraphStyle!.indentStart!.magnitude).toBeGreaterThan(0);
  });

  it('inserts inline images from public URLs only, with an inline object entry', () => {
    const doc = apply(docWith('ab'), [
      { insertInlineImage: { location: { index: 2 }, uri: 'https://example.com/i.png' } },
    ]);
    const el = paragraphs(doc)[0]!.paragraph!.elements![1]!;
    const id = el.inlineObjectElement!.inlineObjectId!;
    expect(doc.inlineObjects![id]!.inlineObjectProperties!.embeddedObject!.imageProperties!.sourceUri).toBe(
      'https://example.com/i.png',
    );
    expectInvalid(
      docWith('ab'),
      [{ insertInlineImage: { location: { index: 2 }, uri: 'data:image/png;base64,AAAA' } }],
      /publicly accessible/,
    );
  });

  it('inserts a page break followed by a newline, never inside a table', () => {
    const doc = apply(docWith('abcd'), [{ insertPageBreak: { location: { index: 3 } } }]);
    expect(bodyText(doc)).toBe('ab<PB>\ncd\n');
    const withTable = apply(docWith(''), [{ insertTable: { rows: 1, columns: 1, location: { index: 1 } } }]);
    expectInvalid(withTable, [{ insertPageBreak: { location: { index: 5 } } }], /inside a table/);
  });

  it('replaces all occurrences, honouring matchCase', () => {
    const doc = docWith('Cat cat CAT');
    expect(
      bodyText(
        apply(doc, [
          { replaceAllText: { containsText: { text: 'cat', matchCase: true }, replaceText: 'dog' } },
        ]),
      ),
    ).toBe('Cat dog CAT\n');
    expect(
      bodyText(apply(doc, [{ replaceAllText: { containsText: { text: 'cat' }, replaceText: 'x' } }])),
    ).toBe('x x x\n');
  });

  it('is a GoogleApiError with httpStatus, status and message', () => {
    const err = new GoogleApiError(400, 'INVALID_ARGUMENT', 'x');
    expect([err.httpStatus, err.status, err.code, err.message]).toEqual([
      400,
      'INVALID_ARGUMENT',
      'INVALID_ARGUMENT',
      'x',
    ]);
  });
});
