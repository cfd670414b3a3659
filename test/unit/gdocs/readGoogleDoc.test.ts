/** readGoogleDoc: Docs API v1 Documents (built through the engine) to schema JSON. */

import type { docs_v1 } from '@googleapis/docs';
import type { JSONContent } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import { readGoogleDoc } from '../../../connectors/google/convert/index.ts';
import { createDocument, reindexDocument } from '../../emulators/google/engine/index.ts';
import { apply, docWith } from './engineHelpers.ts';

type El = docs_v1.Schema$StructuralElement;
const run = (content: string, textStyle: docs_v1.Schema$TextStyle = {}) => ({
  textRun: { content, textStyle },
});
const para = (
  elements: docs_v1.Schema$ParagraphElement[],
  paragraphStyle: docs_v1.Schema$ParagraphStyle = { namedStyleType: 'NORMAL_TEXT' },
  extra = {},
): El => ({
  paragraph: { elements, paragraphStyle, ...extra },
});

function build(content: El[], rest: Partial<docs_v1.Schema$Document> = {}): docs_v1.Schema$Document {
  const blank = createDocument('Read');
  return reindexDocument({ ...blank, ...rest, body: { content: [blank.body!.content![0]!, ...content] } });
}

const texts = (nodes: JSONContent[] | undefined) => (nodes ?? []).map((n) => n.text ?? n.type).join('');

describe('readGoogleDoc', () => {
  it('maps named styles: NORMAL_TEXT, TITLE, SUBTITLE, HEADING_1..6', () => {
    const styles = ['TITLE', 'SUBTITLE', 'HEADING_1', 'HEADING_6', 'NORMAL_TEXT'];
    const { doc } = readGoogleDoc(build(styles.map((s) => para([run(`${s}\n`)], { namedStyleType: s }))));
    expect(doc.content!.map((n) => [n.type, n.attrs?.level, n.attrs?.blockStyle])).toEqual([
      ['heading', 1, 'title'],
      ['paragraph', undefined, 'subtitle'],
      ['heading', 1, null],
      ['heading', 6, null],
      ['paragraph', undefined, null],
    ]);
  });

  it('maps text styles to marks; monospace is the code mark; link underline is not a mark', () => {
    const { doc } = readGoogleDoc(
      build([
        para([
          run('b', { bold: true, italic: true }),
          run('u', { underline: true, strikethrough: true }),
          run('c', { weightedFontFamily: { fontFamily: 'Roboto Mono', weight: 400 }, bold: true }),
          run('l', { link: { url: 'https://x.test/' }, underline: true }),
          run('h', { link: { headingId: 'h.abc' } }),
          run('\n'),
        ]),
      ]),
    );
    const marks = doc.content![0]!.content!.map((n) =>
      n.marks!.map((m) => (m.type === 'link' ? `link:${m.attrs!.href}` : m.type)).sort(),
    );
    expect(marks).toEqual([
      ['bold', 'italic'],
      ['strike', 'underline'],
      ['code'],
      ['link:https://x.test/'],
      ['link:#heading=h.abc'],
    ]);
  });

  it('turns bullets into nested bullet and ordered lists by the list glyphs and nesting levels', () => {
    let g = docWith('a\n\tb\n\tc\nd\ne');
    // Numbered level-1 items first (their leading tab sets the level and is removed), then the bullets.
    g = apply(g, [
      {
        createParagraphBullets: {
          range: { startIndex: 3, endIndex: 9 },
          bulletPreset: 'NUMBERED_DECIMAL_ALPHA_ROMAN',
        },
      },
      {
        createParagraphBullets: {
          range: { startIndex: 1, endIndex: 2 },
          bulletPreset: 'BULLET_DISC_CIRCLE_SQUARE',
        },
      },
      {
        createParagraphBullets: {
          range: { startIndex: 7, endIndex: 8 },
          bulletPreset: 'BULLET_DISC_CIRCLE_SQUARE',
        },
      },
    ]);
    const { doc } = readGoogleDoc(g);
    const [list, tail] = doc.content!;
    expect(list!.type).toBe('bulletList');
    expect(list!.content!.map((li) => texts(li.content![0]!.content))).toEqual(['a', 'd']);
    const nested = list!.content![0]!.content![1]!;
    expect(nested.type).toBe('orderedList');
    expect(nested.content!.map((li) => texts(li.content![0]!.content))).toEqual(['b', 'c']);
    expect(tail).toMatchObject({ type: 'paragraph', content: [{ text: 'e' }] });
  });

  it('reads tables with row and column spans, skipping covered cells', () => {
    let g = apply(docWith(''), [{ insertTable: { rows: 2, columns: 3, location: { index: 1 } } }]);
    const t = g.body!.content!.find((e) => e.table)!.table!;
    t.tableRows![0]!.tableCells![0]!.tableCellStyle!.columnSpan = 2;
    t.tableRows![0]!.tableCells![0]!.tableCellStyle!.rowSpan = 2;
    g = reindexDocument(g);
    const table = readGoogleDoc(g).doc.content!.find((n) => n.type === 'table')!;
    expect(table.content!.map((r) => r.content!.length)).toEqual([2, 1]);
    expect(table.content![0]!.content![0]!.attrs).toMatchObject({ colspan: 2, rowspan: 2 });
  });

  it('reads inline images from the inline object (source URI first, content URI otherwise)', () => {
    const g = apply(docWith('ab'), [
      { insertInlineImage: { location: { index: 2 }, uri: 'https://example.com/pic.png' } },
    ]);
    const { doc } = readGoogleDoc(g);
    expect(doc.content![0]!.content![1]).toMatchObject({
      type: 'image',
      attrs: { src: 'https://example.com/pic.png' },
    });
    const id = Object.keys(g.inlineObjects!)[0]!;
    delete g.inlineObjects![id]!.inlineObjectProperties!.embeddedObject!.imageProperties!.sourceUri;
    expect(readGoogleDoc(g).doc.content![0]!.content![1]!.attrs!.src).toMatch(
      /^https:\/\/lh7-rt\.googleusercontent\.com\//,
    );
  });

  it('keeps Google-only inline content as gdocs atoms whose payload is the original element', () => {
    const g = build(
      [
        para([
          run('x'),
          { footnoteReference: { footnoteId: 'kix.fn1', footnoteNumber: '1', textStyle: {} } },
          { startIndex: 3, endIndex: 6, equation: {} },
          { autoText: { type: 'PAGE_NUMBER' } },
          { person: { personId: 'p1', personProperties: { name: 'Ada', email: 'ada@x.test' } } },
          {
            richLink: {
              richLinkId: 'r1',
              richLinkProperties: { title: 'Budget', uri: 'https://docs.google.com/x' },
            },
          },
          { columnBreak: {} },
          { horizontalRule: {} },
          { pageBreak: {} },
          run('suggested', { bold: true }),
          run('\n'),
        ]),
      ],
      { footnotes: { 'kix.fn1': { footnoteId: 'kix.fn1', content: [] } } },
    );
    const runs = g.body!.content![1]!.paragraph!.elements!;
    runs[runs.length - 2]!.textRun!.suggestedInsertionIds = ['suggest.x'];
    const inline = readGoogleDoc(g).doc.content![0]!.content!;
    const atoms = inline
      .filter((n) => n.type === 'atomInline')
      .map((n) => [n.attrs!.kind, n.attrs!.label, n.attrs!.source]);
    // A footnote reads as a note (its text editable), with the reference element as its payload.
    expect(inline[1]).toMatchObject({ type: 'note', attrs: { kind: 'footnote', source: 'gdocs' } });
    expect(atoms).toEqual([
      ['equation', 'Equation', 'gdocs'],
      ['field', '#page', 'gdocs'],
      ['person', '@Ada', 'gdocs'],
      ['richLink', 'Budget', 'gdocs'],
      ['columnBreak', 'Column break', 'gdocs'],
      ['horizontalRule', '―', 'gdocs'],
      ['pageBreak', 'Page break', 'gdocs'],
      ['suggestedInsertion', 'suggested', 'gdocs'],
    ]);
    const payload = JSON.parse(inline[1]!.attrs!.payload as string);
    expect(payload.element).toEqual({ footnoteReference: { footnoteId: 'kix.fn1' } });
    expect(JSON.parse(inline[2]!.attrs!.payload as string).width).toBe(3);
  });

  it('reads a lone horizontal rule as horizontalRule; tables of contents and later section breaks as atom blocks', () => {
    const g = build([
      para([{ horizontalRule: {} }, run('\n')]),
      { tableOfContents: { content: [para([run('Heading\n')])] } },
      { sectionBreak: { sectionStyle: { sectionType: 'NEXT_PAGE' } } },
      para([run('end\n')]),
    ]);
    const { doc } = readGoogleDoc(g);
    expect(doc.content!.map((n) => n.type)).toEqual([
      'horizontalRule',
      'atomBlock',
      'atomBlock',
      'paragraph',
    ]);
    expect(doc.content![1]!.attrs).toMatchObject({ kind: 'tableOfContents', source: 'gdocs' });
    expect(doc.content![2]!.attrs).toMatchObject({ kind: 'sectionBreak', source: 'gdocs' });
  });
});

describe('readGoogleDoc input', () => {
  it('reads a document fetched with includeTabsContent=true from its first tab', () => {
    const g = docWith('in a tab');
    const tabbed: docs_v1.Schema$Document = {
      title: g.title,
      documentId: g.documentId,
      revisionId: g.revisionId,
      tabs: [{ tabProperties: { tabId: 't.0' }, documentTab: { body: g.body, lists: g.lists } }],
    };
    expect(readGoogleDoc(tabbed).doc).toEqual(readGoogleDoc(g).doc);
  });

  it('refuses input that is not a Document, and warns when suggestions were not read inline', () => {
    expect(() => readGoogleDoc({ title: 'x' } as docs_v1.Schema$Document)).toThrow(
      /Not a Google Docs document/,
    );
    const previewed = { ...docWith('x'), suggestionsViewMode: 'PREVIEW_SUGGESTIONS_ACCEPTED' };
    expect(readGoogleDoc(previewed).warnings.map((w) => w.code)).toContain('GDOCS_SUGGESTIONS_VIEW');
  });

  it('warns about what it drops: marks on monospace text', () => {
    const g = apply(docWith('code'), [
      {
        updateTextStyle: {
          range: { startIndex: 1, endIndex: 5 },
          textStyle: { bold: true, weightedFontFamily: { fontFamily: 'Consolas' } },
          fields: 'bold,weightedFontFamily',
        },
      },
    ]);
    const { doc, warnings } = readGoogleDoc(g);
    expect(doc.content![0]!.content![0]!.marks).toEqual([{ type: 'code' }]);
    expect(warnings.map((w) => w.code)).toEqual(['GDOCS_CODE_MARKS']);
  });
});
