/**
 * The block part of the ODF reader: office:text to schema blocks. Paragraph styles give block meaning
 * (headings, title, subtitle, quotations, preformatted text, horizontal line), lists take their numbering
 * from list styles, tables keep spans and header rows, our quote sections become blockquotes, and block
 * elements the schema lacks (indexes, tracked-change regions...) become `atomBlock` nodes.
 */

import type { JSONContent } from '@tiptap/core';
import { sealAtom } from '../../model/atomSeal.ts';
import { ConversionError } from '../../model/errors.ts';
import { childElements, getAttr, textContent, type XmlElement } from '../safeXml.ts';
import { NS } from './namespaces.ts';
import { mergeMarks, OdtInlineReader, type OdtReadContext } from './readInline.ts';
import { AUTO_STYLES, QUOTE_SECTION_PREFIX } from './styles.ts';
import { visibleOdfText } from './visibleText.ts';

/** Most table cells accepted in one document (repeated cells count each time). */
const MAX_CELLS = 200_000;
const DROPPED = new Set(['sequence-decls', 'soft-page-break']);

interface ListState {
  style: string | undefined;
  level: number;
}

/**
 * A run of top-level elements of office:text and how many schema blocks it produced: what writing over the
 * original package keeps verbatim while those blocks are unchanged. Offsets are into content.xml.
 */
export interface OdtSourceUnit {
  start: number;
  end: number;
  count: number;
}

/** Reads the blocks of one document; create one per document. */
export class OdtBlockReader {
  private cells = 0;

  constructor(private readonly ctx: OdtReadContext) {}

  /**
   * The schema blocks of `container`'s element children (quote paragraphs grouped into blockquotes). With
   * `units`, records which elements produced which blocks (elements producing none join the next unit).
   */
  blocks(container: XmlElement, list?: ListState, units?: OdtSourceUnit[]): JSONContent[] {
    const out: JSONContent[] = [];
    let quote: JSONContent[] | null = null;
    let pending: number | null = null;
    for (const el of childElements(container)) {
      const before = out.length;
      const isQuote = el.uri === NS.text && el.local === 'p' && this.kind(el).kind === 'quote';
      const continuing = isQuote && quote !== null;
      if (isQuote) {
        if (!quote) {
          quote = [];
          out.push({ type: 'blockquote', content: quote });
        }
        quote.push(this.paragraph(el, { type: 'paragraph' }));
      } else {
        quote = null;
        out.push(...this.block(el, list));
      }
      if (!units) continue;
      const last = units.at(-1);
      if (continuing && last) last.end = el.end;
      else if (out.length === before) pending = units.length ? (pending ?? el.start) : null;
      else {
        units.push({ start: pending ?? el.start, end: el.end, count: out.length - before });
        pending = null;
      }
    }
    return out;
  }

  private kind(el: XmlElement) {
    return this.ctx.styles.paragraphKind(getAttr(el, NS.text, 'style-name'));
  }

  private block(el: XmlElement, list?: ListState): JSONContent[] {
    if (el.uri === NS.text) {
      switch (el.local) {
        case 'p':
          return [this.textP(el)];
        case 'h': {
          const kind = this.kind(el);
          if (kind.kind === 'title')
            return [this.paragraph(el, { type: 'heading', attrs: { level: 1, blockStyle: 'title' } })];
          const level =
            Number.parseInt(getAttr(el, NS.text, 'outline-level') ?? '', 10) ||
            (kind.kind === 'heading' ? kind.level : 1);
          return [this.paragraph(el, { type: 'heading', attrs: { level: Math.min(Math.max(level, 1), 6) } })];
        }
        case 'list':
          return [this.list(el, list)];
        case 'section':
          return this.section(el);
        default:
          if (DROPPED.has(el.local)) return [];
      }
    }
    if (el.uri === NS.table && el.local === 'table') return [this.table(el)];
    if (el.uri === NS.office && el.local === 'forms' && childElements(el).length === 0) return [];
    return [
      {
        type: 'atomBlock',
        attrs: {
          kind: el.local,
          label: visibleOdfText(el),
          source: 'odt',
          payload: this.ctx.source.slice(el.start, el.end),
          seal: sealAtom('odt', this.ctx.source.slice(el.start, el.end)),
        },
      },
    ];
  }

  private textP(el: XmlElement): JSONContent {
    const kind = this.kind(el);
    switch (kind.kind) {
      case 'title':
        return this.paragraph(el, { type: 'heading', attrs: { level: 1, blockStyle: 'title' } });
      case 'subtitle':
        return this.paragraph(el, { type: 'paragraph', attrs: { blockStyle: 'subtitle' } });
      case 'heading':
        return this.paragraph(el, { type: 'heading', attrs: { level: kind.level } });
      case 'code':
        return this.codeBlock(el);
      case 'rule':
        if (textContent(el).trim())
          this.ctx.warnings.add('ODT_RULE_TEXT_LOST', 'Text on a horizontal line paragraph was dropped');
        return { type: 'horizontalRule' };
      default:
        return this.paragraph(el, { type: 'paragraph' });
    }
  }

  /**
   * A textblock; a page break its style puts before or after it becomes a `pageBreak` atom at its start or
   * end (the form Word and Google Docs give page breaks), which the writers turn back into a break.
   */
  private paragraph(el: XmlElement, node: JSONContent): JSONContent {
    const style = getAttr(el, NS.text, 'style-name');
    const base = mergeMarks([], this.ctx.styles.marks('paragraph', style));
    const content = new OdtInlineReader(this.ctx).children(el, base);
    const breaks = this.ctx.styles.pageBreaks(style);
    if (breaks.before) content.unshift(pageBreakAtom('before'));
    if (breaks.after) content.push(pageBreakAtom('after'));
    return content.length ? { ...node, content } : node;
  }

  private codeBlock(el: XmlElement): JSONContent {
    const inline = new OdtInlineReader(this.ctx).children(el, []);
    let text = '';
    for (const node of inline) {
      if (node.type === 'text') text += node.text ?? '';
      else if (node.type === 'hardBreak') text += '\n';
      else this.ctx.warnings.add('ODT_CODE_CONTENT_LOST', 'Objects inside preformatted text were dropped');
    }
    return { type: 'codeBlock', ...(text ? { content: [{ type: 'text', text }] } : {}) };
  }

  private list(el: XmlElement, parent?: ListState): JSONContent {
    const state: ListState = {
      style: getAttr(el, NS.text, 'style-name') ?? parent?.style,
      level: (parent?.level ?? 0) + 1,
    };
    const numbering = this.ctx.styles.listLevel(state.style, state.level);
    const items = childElements(el, NS.text).filter(
      (c) => c.local === 'list-item' || c.local === 'list-header',
    );
    const content = items.map((item) => {
      const blocks = this.blocks(item, state);
      if (blocks[0]?.type === 'heading') {
        this.ctx.warnings.add('ODT_LIST_HEADING', 'Headings inside lists became paragraphs');
        blocks[0] = { type: 'paragraph', ...(blocks[0].content ? { content: blocks[0].content } : {}) };
      }
      if (blocks[0]?.type !== 'paragraph' || blocks[0].attrs?.blockStyle)
        blocks.unshift({ type: 'paragraph' });
      return { type: 'listItem', content: blocks };
    });
    if (content.length === 0) content.push({ type: 'listItem', content: [{ type: 'paragraph' }] });
    if (!numbering.ordered) return { type: 'bulletList', content };
    const first = items[0] ? getAttr(items[0], NS.text, 'start-value') : undefined;
    const start = first !== undefined ? Number.parseInt(first, 10) : numbering.start;
    const type = numbering.format === '1' ? null : numbering.format;
    return { type: 'orderedList', attrs: { start: Number.isFinite(start) ? start : 1, type }, content };
  }

  private section(el: XmlElement): JSONContent[] {
    const name = getAttr(el, NS.text, 'name') ?? '';
    const style = getAttr(el, NS.text, 'style-name');
    const blocks = this.blocks(el);
    if (style === AUTO_STYLES.quoteSection || name.startsWith(QUOTE_SECTION_PREFIX)) {
      return [{ type: 'blockquote', content: blocks.length ? blocks : [{ type: 'paragraph' }] }];
    }
    this.ctx.warnings.add('ODT_SECTION_UNWRAPPED', 'Sections were dissolved into their content');
    return blocks;
  }

  private table(el: XmlElement): JSONContent {
    const rows: { row: XmlElement; header: boolean }[] = [];
    const collect = (container: XmlElement, header: boolean) => {
      for (const child of childElements(container, NS.table)) {
        if (child.local === 'table-row') rows.push({ row: child, header });
        else if (child.local === 'table-header-rows') collect(child, true);
        else if (child.local === 'table-rows' || child.local === 'table-row-group') collect(child, header);
      }
    };
    collect(el, false);
    const widths = this.columnWidths(el);
    const content: JSONContent[] = [];
    const occupied = new Set<string>();
    for (const { row, header } of rows) {
      const repeat = Math.min(
        Number.parseInt(getAttr(row, NS.table, 'number-rows-repeated') ?? '1', 10) || 1,
        1000,
      );
      for (let i = 0; i < repeat; i += 1)
        content.push(this.tableRow(row, header, widths, content.length, occupied));
    }
    const nonEmpty = content.filter((r) => (r.content?.length ?? 0) > 0);
    if (nonEmpty.length === 0)
      return { type: 'table', content: [{ type: 'tableRow', content: [emptyCell('tableCell')] }] };
    return { type: 'table', content: nonEmpty };
  }

  /**
   * One row; `occupied` holds the grid positions taken by spans, so each cell gets its real column (covered
   * cells are implied by the spans and skipped, however a producer wrote them).
   */
  private tableRow(
    row: XmlElement,
    headerRow: boolean,
    widths: number[] | null,
    r: number,
    occupied: Set<string>,
  ): JSONContent {
    const cells: JSONContent[] = [];
    let col = 0;
    for (const cell of childElements(row, NS.table, 'table-cell')) {
      const repeat = Math.min(
        Number.parseInt(getAttr(cell, NS.table, 'number-columns-repeated') ?? '1', 10) || 1,
        1000,
      );
      for (let i = 0; i < repeat; i += 1) {
        this.cells += 1;
        if (this.cells > MAX_CELLS)
          throw new ConversionError('ODT_TOO_LARGE', `More than ${MAX_CELLS} table cells`);
        while (occupied.has(`${r}:${col}`)) col += 1;
        const colspan = Math.min(
          Math.max(Number.parseInt(getAttr(cell, NS.table, 'number-columns-spanned') ?? '1', 10) || 1, 1),
          1000,
        );
        const rowspan = Math.min(
          Math.max(Number.parseInt(getAttr(cell, NS.table, 'number-rows-spanned') ?? '1', 10) || 1, 1),
          1000,
        );
        for (let dr = 0; dr < rowspan; dr += 1) {
          for (let dc = 0; dc < colspan; dc += 1) occupied.add(`${r + dr}:${col + dc}`);
        }
        if (occupied.size > MAX_CELLS * 10)
          throw new ConversionError('ODT_TOO_LARGE', 'Table spans cover too many cells');
        const header = headerRow || this.ctx.styles.isHeaderCellStyle(getAttr(cell, NS.table, 'style-name'));
        const colwidth = widths && col + colspan <= widths.length ? widths.slice(col, col + colspan) : null;
        const blocks = this.blocks(cell);
        cells.push({
          type: header ? 'tableHeader' : 'tableCell',
          attrs: { colspan, rowspan, colwidth },
          content: blocks.length ? blocks : [{ type: 'paragraph' }],
        });
        col += colspan;
      }
    }
    return { type: 'tableRow', content: cells };
  }

  /** Column widths in pixels from the column styles, only when every column has one. */
  private columnWidths(el: XmlElement): number[] | null {
    const widths: number[] = [];
    for (const column of childElements(el, NS.table, 'table-column')) {
      const repeat = Math.min(
        Number.parseInt(getAttr(column, NS.table, 'number-columns-repeated') ?? '1', 10) || 1,
        1000,
      );
      const width = this.ctx.styles.columnWidthPx(getAttr(column, NS.table, 'style-name'));
      if (width === null) return null;
      for (let i = 0; i < repeat; i += 1) widths.push(width);
    }
    return widths.length ? widths : null;
  }
}

/** A page break read from a paragraph style; the payload says on which side. */
function pageBreakAtom(side: 'before' | 'after'): JSONContent {
  return { type: 'atomInline', attrs: { kind: 'pageBreak', label: '', source: 'odt', payload: side } };
}

function emptyCell(type: string): JSONContent {
  return { type, content: [{ type: 'paragraph' }] };
}
