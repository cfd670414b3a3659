/**
 * Schema document to ODF text `content.xml` (plus the pictures it embeds). Blocks map to ODF's own
 * elements (text:h, text:list, table:table, text:section for quotes); marks to automatic text styles;
 * atoms read from ODF are written back verbatim, other atoms as their label (with a warning).
 */

import type { Mark as PMMark, Node as PMNode } from '@tiptap/pm/model';
import { hashJson } from '../../microsoft/docx/blockHash.ts';
import { isSealed } from '../../model/atomSeal.ts';
import { NoteCounter } from '../../model/notes.ts';
import type { WarningCollector } from '../../model/warnings.ts';
import { escapeXmlAttr, escapeXmlText, getAttr, parseXml } from '../safeXml.ts';
import { NS, NS_DECLARATIONS } from './namespaces.ts';
import {
  AUTO_STYLES,
  AutomaticStyles,
  PARAGRAPH_STYLES,
  QUOTE_SECTION_PREFIX,
  TEXT_STYLES,
} from './styles.ts';
import { type OdtPicture, writeImage } from './writeImage.ts';
import { writeTable } from './writeTable.ts';

interface BlockContext {
  inList: boolean;
  /** Paragraph style for plain paragraphs here (table cells and quotes inside lists use their own). */
  paragraphStyle: string;
}

const LIST_FORMATS = new Set(['1', 'a', 'A', 'i', 'I']);

/** Whitespace state of the paragraph being written: may the next space be a literal one? */
interface InlineState {
  afterChar: boolean;
}

/** Writes one document; create a new writer per document. */
export class OdtContentWriter {
  readonly pictures: OdtPicture[] = [];
  private quoteCount = 0;
  private imageCount = 0;
  private noteCount = 0;
  private readonly notes = new NoteCounter();
  /** `text:id`s of the notes written, so a note copied twice gets a new id the second time. */
  private readonly noteIds = new Set<string>();

  /**
   * `styles` collects the automatic styles (prefixed when the content goes into an existing package);
   * `overOriginal` says the content goes into the package the document was read from, whose automatic styles
   * an unedited note's original XML may use (in a new package such a note is regenerated).
   */
  constructor(
    private readonly warnings: WarningCollector,
    readonly styles = new AutomaticStyles(),
    private readonly overOriginal = false,
  ) {}

  /** The XML of one top-level block of a document (its automatic styles go to `styles`). */
  topBlock(node: PMNode): string {
    return this.block(node, { inList: false, paragraphStyle: PARAGRAPH_STYLES.standard });
  }

  /** The `content.xml` part for `doc`. */
  contentXml(doc: PMNode): string {
    const body = this.blocks(doc, { inList: false, paragraphStyle: PARAGRAPH_STYLES.standard });
    return (
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<office:document-content ${NS_DECLARATIONS} office:version="1.3">` +
      `${this.styles.toXml()}<office:body><office:text>${body}</office:text></office:body></office:document-content>`
    );
  }

  private blocks(parent: PMNode, ctx: BlockContext): string {
    let out = '';
    parent.forEach((child) => {
      out += this.block(child, ctx);
    });
    return out;
  }

  private block(node: PMNode, ctx: BlockContext): string {
    switch (node.type.name) {
      case 'paragraph': {
        const style =
          node.attrs.blockStyle === 'title'
            ? PARAGRAPH_STYLES.title
            : node.attrs.blockStyle === 'subtitle'
              ? PARAGRAPH_STYLES.subtitle
              : ctx.paragraphStyle;
        return this.textblock('text:p', style, '', node);
      }
      case 'heading': {
        if (node.attrs.blockStyle === 'title')
          return this.textblock('text:p', PARAGRAPH_STYLES.title, '', node);
        if (node.attrs.blockStyle === 'subtitle') {
          this.warnings.add(
            'ODT_HEADING_SUBTITLE',
            'A heading styled as subtitle was written as a subtitle paragraph',
          );
          return this.textblock('text:p', PARAGRAPH_STYLES.subtitle, '', node);
        }
        const level = node.attrs.level as number;
        return this.textblock(
          'text:h',
          PARAGRAPH_STYLES.heading(level),
          ` text:outline-level="${level}"`,
          node,
        );
      }
      case 'blockquote':
        if (ctx.inList) {
          this.warnings.add(
            'ODT_QUOTE_IN_LIST',
            'Quotes inside list items were written as quotation paragraphs',
          );
          return this.blocks(node, { ...ctx, paragraphStyle: PARAGRAPH_STYLES.quotations });
        }
        this.quoteCount += 1;
        return (
          `<text:section text:style-name="${AUTO_STYLES.quoteSection}" text:name="${QUOTE_SECTION_PREFIX}${this.quoteCount}">` +
          `${this.blocks(node, { ...ctx, paragraphStyle: PARAGRAPH_STYLES.standard })}</text:section>`
        );
      case 'bulletList':
      case 'orderedList':
        return this.list(node, ctx);
      case 'codeBlock':
        if (node.attrs.language)
          this.warnings.add('ODT_CODE_LANGUAGE_LOST', 'Code block languages are not kept in ODF');
        return `<text:p text:style-name="${PARAGRAPH_STYLES.preformatted}">${this.text(node.textContent, { afterChar: false })}</text:p>`;
      case 'horizontalRule':
        return `<text:p text:style-name="${PARAGRAPH_STYLES.horizontalLine}"/>`;
      case 'table':
        if (ctx.inList) {
          this.warnings.add(
            'ODT_TABLE_IN_LIST',
            'Tables inside list items were written as their cell contents',
          );
          let out = '';
          node.descendants((cell) => {
            if (cell.type.name !== 'tableCell' && cell.type.name !== 'tableHeader') return true;
            out += this.blocks(cell, ctx);
            return false;
          });
          return out;
        }
        return this.table(node);
      case 'atomBlock':
        return this.atom(node, true, ctx);
      default:
        return '';
    }
  }

  /**
   * A paragraph or heading. Page breaks in it (atoms from any format) become its style's break before (at
   * its start, or moved there from inside, warned) or after (at its end): ODF breaks pages between paragraphs.
   */
  private textblock(tag: string, style: string, extra: string, node: PMNode): string {
    let before = false;
    let after = false;
    node.forEach((child, _offset, index) => {
      if (child.type.name !== 'atomInline' || child.attrs.kind !== 'pageBreak') return;
      if (index === node.childCount - 1 && index > 0) after = true;
      else {
        if (index > 0)
          this.warnings.add('ODT_PAGE_BREAK_MOVED', 'A page break inside a paragraph was moved to its start');
        before = true;
      }
    });
    const styleName = before || after ? this.styles.pageBreakStyle(style, before, after) : style;
    const inner = this.inline(node);
    return `<${tag} text:style-name="${styleName}"${extra}${inner ? `>${inner}</${tag}>` : '/>'}`;
  }

  private list(node: PMNode, ctx: BlockContext): string {
    const ordered = node.type.name === 'orderedList';
    let format = '1';
    if (ordered && node.attrs.type) {
      if (LIST_FORMATS.has(String(node.attrs.type))) format = String(node.attrs.type);
      else this.warnings.add('ODT_LIST_TYPE_LOST', 'An unknown list numbering type was written as 1, 2, 3');
    }
    const style = this.styles.listStyle(ordered, format);
    let items = '';
    node.forEach((item, _offset, index) => {
      const start =
        ordered && index === 0 && node.attrs.start !== 1 ? ` text:start-value="${node.attrs.start}"` : '';
      items += `<text:list-item${start}>${this.blocks(item, { inList: true, paragraphStyle: ctx.paragraphStyle })}</text:list-item>`;
    });
    return `<text:list text:style-name="${style}">${items}</text:list>`;
  }

  private table(node: PMNode): string {
    return writeTable(node, {
      styles: this.styles,
      warnings: this.warnings,
      cellBlocks: (cell, paragraphStyle) => this.blocks(cell, { inList: false, paragraphStyle }),
    });
  }

  private atom(node: PMNode, block: boolean, ctx: BlockContext): string {
    const payload = String(node.attrs.payload ?? '');
    if (node.attrs.source !== 'odt')
      this.warnings.add(
        'ODT_ATOM_AS_TEXT',
        'Embedded objects from another format were written as their label',
      );
    else if (!isSealed(node.attrs))
      this.warnings.add(
        'ODT_ATOM_UNVERIFIED',
        'An atom this server did not read from an .odt file was written as its label',
      );
    // Stamped by our reader and still one well-formed ODF element: the original markup goes back.
    else if (isSingleOdfElement(payload)) return payload;
    else
      this.warnings.add(
        'ODT_ATOM_AS_TEXT',
        'An embedded object with a malformed payload was written as its label',
      );
    const label = escapeXmlText(String(node.attrs.label ?? ''));
    return block ? `<text:p text:style-name="${ctx.paragraphStyle}">${label}</text:p>` : label;
  }

  /** Inline content: links become text:a around runs, other marks automatic text styles. */
  private inline(parent: PMNode): string {
    const children: PMNode[] = [];
    parent.forEach((child) => {
      children.push(child);
    });
    return this.inlineNodes(children);
  }

  private inlineNodes(children: PMNode[]): string {
    const state: InlineState = { afterChar: false };
    let out = '';
    let linkOpen: PMMark | null = null;
    children.forEach((child) => {
      const link = child.marks.find((m) => m.type.name === 'link') ?? null;
      if (linkOpen && !link?.eq(linkOpen)) {
        out += '</text:a>';
        linkOpen = null;
      }
      if (link && !linkOpen) {
        out += this.openLink(link);
        linkOpen = link;
      }
      out += this.inlineNode(child, state);
    });
    if (linkOpen) out += '</text:a>';
    return out;
  }

  private openLink(link: PMMark): string {
    const { href, target, title, rel } = link.attrs as Record<string, string | null>;
    if (link.attrs.class || (rel && rel !== 'noopener noreferrer nofollow')) {
      this.warnings.add('ODT_LINK_ATTRS_LOST', 'Link rel and class attributes are not kept in ODF');
    }
    const frame = target
      ? ` office:target-frame-name="${escapeXmlAttr(target)}" xlink:show="${target === '_blank' ? 'new' : 'replace'}"`
      : '';
    const titleAttr = title ? ` office:title="${escapeXmlAttr(title)}"` : '';
    return `<text:a xlink:type="simple" xlink:href="${escapeXmlAttr(href ?? '')}" text:style-name="${TEXT_STYLES.internetLink}"${frame}${titleAttr}>`;
  }

  private inlineNode(node: PMNode, state: InlineState): string {
    switch (node.type.name) {
      case 'text': {
        const names = node.marks.map((m) => m.type.name);
        const text = this.text(node.text ?? '', state);
        if (names.includes('code'))
          return `<text:span text:style-name="${TEXT_STYLES.sourceText}">${text}</text:span>`;
        const styled = ['bold', 'italic', 'underline', 'strike'].filter((m) => names.includes(m));
        return styled.length
          ? `<text:span text:style-name="${this.styles.textStyle(styled)}">${text}</text:span>`
          : text;
      }
      case 'hardBreak':
        state.afterChar = false;
        return '<text:line-break/>';
      case 'image':
        state.afterChar = false;
        return this.image(node);
      case 'atomInline':
        if (node.attrs.kind === 'pageBreak') return '';
        state.afterChar = false;
        return this.atom(node, false, { inList: false, paragraphStyle: PARAGRAPH_STYLES.standard });
      case 'note':
        state.afterChar = false;
        return this.note(node);
      default:
        return '';
    }
  }

  /** Text with ODF whitespace encoding: one literal space after a character, `text:s` for the rest. */
  private text(value: string, state: InlineState): string {
    let out = '';
    for (const part of value.split(/( +|\t|\n)/)) {
      if (part === '') continue;
      if (part === '\t') {
        out += '<text:tab/>';
        state.afterChar = false;
      } else if (part === '\n') {
        out += '<text:line-break/>';
        state.afterChar = false;
      } else if (part[0] === ' ') {
        let count = part.length;
        if (state.afterChar) {
          out += ' ';
          count -= 1;
        }
        if (count > 0) out += count === 1 ? '<text:s/>' : `<text:s text:c="${count}"/>`;
        state.afterChar = false;
      } else {
        out += escapeXmlText(part.replace(/\r/g, ''));
        state.afterChar = true;
      }
    }
    return out;
  }

  /**
   * A note: its original text:note when read from ODF and unedited (and its id not taken yet), else a new
   * text:note whose body has one paragraph per hard-break-separated line.
   */
  private note(node: PMNode): string {
    const kind = node.attrs.kind === 'endnote' ? 'endnote' : 'footnote';
    const citation = this.notes.next(kind);
    const original =
      // Only a payload this server's reader made (sealed) is written back: anything else could plant XML.
      this.overOriginal && node.attrs.source === 'odt' && isSealed(node.attrs)
        ? originalNote(String(node.attrs.payload))
        : undefined;
    if (
      original &&
      hashJson(node.content.toJSON() ?? []) === original.hash &&
      !this.noteIds.has(original.id)
    ) {
      this.noteIds.add(original.id);
      return original.xml;
    }
    let id: string;
    do id = `${kind === 'endnote' ? 'edn' : 'ftn'}Db${++this.noteCount}`;
    while (this.noteIds.has(id));
    this.noteIds.add(id);
    const lines: PMNode[][] = [[]];
    node.forEach((child) => {
      if (child.type.name === 'hardBreak') lines.push([]);
      else lines[lines.length - 1]?.push(child);
    });
    const style = kind === 'endnote' ? PARAGRAPH_STYLES.endnote : PARAGRAPH_STYLES.footnote;
    const body = lines
      .map((line) => `<text:p text:style-name="${style}">${this.inlineNodes(line)}</text:p>`)
      .join('');
    return `<text:note text:id="${id}" text:note-class="${kind}"><text:note-citation>${citation}</text:note-citation><text:note-body>${body}</text:note-body></text:note>`;
  }

  private image(node: PMNode): string {
    this.imageCount += 1;
    return writeImage(node, this.pictures, this.imageCount);
  }
}

/** The original text:note of an ODF note's payload (its XML, id and content hash), if well-formed. */
function originalNote(payload: string): { xml: string; id: string; hash: string } | undefined {
  try {
    const value = JSON.parse(payload) as { xml?: unknown; hash?: unknown };
    if (typeof value.xml !== 'string' || typeof value.hash !== 'string' || !isSingleOdfElement(value.xml))
      return undefined;
    const root = parseXml(`<wrapper ${NS_DECLARATIONS}>${value.xml}</wrapper>`);
    const note = root.children.find((c) => c.type === 'element');
    if (note?.type !== 'element' || note.uri !== NS.text || note.local !== 'note') return undefined;
    return { xml: value.xml, id: getAttr(note, NS.text, 'id') ?? '', hash: value.hash };
  } catch {
    return undefined;
  }
}

/** True when `payload` is exactly one well-formed element using only the ODF namespaces we declare. */
function isSingleOdfElement(payload: string): boolean {
  if (!payload.trim().startsWith('<')) return false;
  try {
    const root = parseXml(`<wrapper ${NS_DECLARATIONS}>${payload}</wrapper>`);
    const elements = root.children.filter((c) => c.type === 'element');
    const strayText = root.children.some((c) => c.type === 'text' && c.text.trim() !== '');
    return elements.length === 1 && !strayText;
  } catch {
    return false;
  }
}
