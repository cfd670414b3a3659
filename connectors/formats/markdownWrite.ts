/**
 * Schema JSON to Markdown (CommonMark + GFM tables and strikethrough), through mdast and
 * `mdast-util-to-markdown`, which does the escaping. What Markdown cannot hold is written as near as it can
 * be and reported as a warning: underline, block styles, atoms (their label), table spans and cell blocks.
 */
import type { JSONContent } from '@tiptap/core';
import type { Mark as PMMark, Node as PMNode } from '@tiptap/pm/model';
import type * as Md from 'mdast';
import { gfmFootnoteToMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethroughToMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableToMarkdown } from 'mdast-util-gfm-table';
import { toMarkdown } from 'mdast-util-to-markdown';
import { schema, validateDoc } from '../model/schema.ts';
import { type ConversionWarning, WarningCollector } from '../model/warnings.ts';

type Phrasing = Md.PhrasingContent;

/** Link attributes as the Markdown reader gives them back: the schema's defaults (Markdown keeps href and title). */
const linkAttrsReadBack: Record<string, unknown> = schema.marks.link?.create({ href: '' }).attrs ?? {};
type Block = Md.BlockContent;

/**
 * Whether the reader gives back the empty paragraph at `index` of `parent` by itself: it adds one to an empty
 * document and at the start of a list item that does not begin with a paragraph.
 */
function emptyParagraphReadBack(parent: PMNode, index: number): boolean {
  if (parent.type.name === 'doc') return parent.childCount === 1;
  return parent.type.name === 'listItem' && index === 0;
}

class MarkdownWriter {
  readonly warnings = new WarningCollector();
  /** Footnote definitions, written after the body in reference order (`[^1]: ...`). */
  readonly notes: Md.FootnoteDefinition[] = [];

  blocks(parent: PMNode): Block[] {
    const out: Block[] = [];
    parent.forEach((child, _offset, index) => {
      if (
        child.type.name === 'paragraph' &&
        child.childCount === 0 &&
        !emptyParagraphReadBack(parent, index)
      ) {
        this.warnings.add(
          'MD_EMPTY_PARAGRAPH_LOST',
          'Empty paragraphs have no Markdown form and were dropped',
        );
      }
      out.push(...this.block(child));
    });
    return out;
  }

  private block(node: PMNode): Block[] {
    const name = node.type.name;
    if ((name === 'paragraph' || name === 'heading') && node.attrs.blockStyle) {
      this.warnings.add(
        'MD_BLOCK_STYLE_LOST',
        'Title and subtitle styles are written as plain heading/paragraph',
      );
    }
    switch (name) {
      case 'paragraph':
        return [{ type: 'paragraph', children: this.inline(node) }];
      case 'heading':
        return [
          { type: 'heading', depth: node.attrs.level as Md.Heading['depth'], children: this.inline(node) },
        ];
      case 'blockquote':
        return [{ type: 'blockquote', children: this.blocks(node) }];
      case 'bulletList':
      case 'orderedList': {
        const children: Md.ListItem[] = [];
        node.forEach((item) => {
          // A blank line between an item's blocks: without it a nested block may be read as a lazy continuation.
          const blocks = this.blocks(item);
          // The schema wants a paragraph first; an empty one is what the reader makes of an empty item or of
          // one that starts with, say, a code block, so leave it out to write that item back as it was.
          if (blocks[0]?.type === 'paragraph' && blocks[0].children.length === 0) blocks.shift();
          children.push({ type: 'listItem', spread: blocks.length > 1, children: blocks });
        });
        if (node.attrs.type)
          this.warnings.add('MD_LIST_TYPE_LOST', 'List numbering styles (a, i...) are lost');
        const ordered = name === 'orderedList';
        return [
          {
            type: 'list',
            ordered,
            start: ordered ? (node.attrs.start as number) : null,
            spread: false,
            children,
          },
        ];
      }
      case 'codeBlock':
        return [
          { type: 'code', lang: (node.attrs.language as string | null) || null, value: node.textContent },
        ];
      case 'horizontalRule':
        return [{ type: 'thematicBreak' }];
      case 'table':
        return [this.table(node)];
      case 'atomBlock':
        this.atomLost();
        return [{ type: 'paragraph', children: [{ type: 'text', value: String(node.attrs.label) }] }];
      default:
        this.warnings.add('MD_UNSUPPORTED_NODE', `Node ${name} has no Markdown form and was dropped`);
        return [];
    }
  }

  private atomLost(): void {
    this.warnings.add(
      'MD_ATOM_AS_TEXT',
      'Embedded objects (footnotes, equations...) were written as their label',
    );
  }

  private table(node: PMNode): Md.Table {
    const rows: Md.TableRow[] = [];
    const align: Md.AlignType[] = [];
    node.forEach((row, _offset, r) => {
      const cells: Md.TableCell[] = [];
      row.forEach((cell, _o, c) => {
        if (r === 0) align[c] = (cell.attrs.align as Md.AlignType) ?? null;
        if (r === 0 && c === 0 && row.firstChild?.type.name !== 'tableHeader') {
          this.warnings.add('MD_TABLE_HEADER_ADDED', 'The first table row became a header row');
        }
        if (r > 0 && cell.type.name === 'tableHeader') {
          this.warnings.add('MD_TABLE_HEADER_LOST', 'Header cells below the first row became plain cells');
        }
        if (cell.attrs.colwidth) this.warnings.add('MD_TABLE_WIDTHS_LOST', 'Table column widths are lost');
        cells.push({ type: 'tableCell', children: this.cellInline(cell) });
        const span = (cell.attrs.colspan as number) - 1;
        if (span > 0 || (cell.attrs.rowspan as number) > 1) {
          this.warnings.add('MD_TABLE_SPANS_LOST', 'Merged table cells were split');
        }
        for (let i = 0; i < span; i += 1) cells.push({ type: 'tableCell', children: [] });
      });
      rows.push({ type: 'tableRow', children: cells });
    });
    return { type: 'table', align, children: rows };
  }

  /** GFM cells hold one line of inline content: blocks are joined with spaces. */
  private cellInline(cell: PMNode): Phrasing[] {
    const out: Phrasing[] = [];
    cell.descendants((child) => {
      if (!child.isTextblock) return true;
      if (out.length) {
        this.warnings.add(
          'MD_TABLE_CELL_FLATTENED',
          'Table cells with several blocks were joined into one line',
        );
        out.push({ type: 'text', value: ' ' });
      }
      out.push(...this.inline(child, true));
      return false;
    });
    return out;
  }

  /**
   * Inline content with marks turned into nested mdast phrasing: a mark already open stays open while the
   * next nodes carry it; new marks open longest-run first so runs nest rather than split.
   */
  inline(parent: PMNode, inCell = false): Phrasing[] {
    const nodes: PMNode[] = [];
    parent.forEach((child) => {
      nodes.push(child);
    });
    while (nodes.length && nodes[nodes.length - 1]?.type.name === 'hardBreak') {
      nodes.pop();
      this.warnings.add('MD_TRAILING_BREAK_LOST', 'A line break at the end of a paragraph was dropped');
    }
    const root: Phrasing[] = [];
    const stack: { mark: PMMark; children: Phrasing[] }[] = [];
    const top = () => stack[stack.length - 1]?.children ?? root;
    nodes.forEach((node, index) => {
      const marks = node.marks.filter((m) => this.keepMark(m));
      let keep = 0;
      while (keep < stack.length && marks.some((m) => m.eq(stack[keep]!.mark))) keep += 1;
      stack.length = keep;
      const open = marks.filter((m) => !stack.some((s) => s.mark.eq(m)) && m.type.name !== 'code');
      const runLength = (m: PMMark) => {
        let n = index + 1;
        while (n < nodes.length && m.isInSet(nodes[n]!.marks)) n += 1;
        return n;
      };
      open.sort((x, y) => runLength(y) - runLength(x));
      for (const mark of open) {
        const wrapper = this.wrapper(mark);
        top().push(wrapper);
        stack.push({ mark, children: wrapper.children });
      }
      top().push(...this.leaf(node, inCell));
    });
    return root;
  }

  private keepMark(mark: PMMark): boolean {
    if (mark.type.name !== 'underline') return true;
    this.warnings.add('MD_UNDERLINE_LOST', 'Underline has no Markdown form and was dropped');
    return false;
  }

  private wrapper(mark: PMMark): Md.Strong | Md.Emphasis | Md.Delete | Md.Link {
    switch (mark.type.name) {
      case 'bold':
        return { type: 'strong', children: [] };
      case 'italic':
        return { type: 'emphasis', children: [] };
      case 'strike':
        return { type: 'delete', children: [] };
      default:
        if (['target', 'rel', 'class'].some((k) => (mark.attrs[k] ?? null) !== linkAttrsReadBack[k])) {
          this.warnings.add(
            'MD_LINK_ATTRS_LOST',
            'Link targets, rel and class have no Markdown form (only the address and title are written)',
          );
        }
        return {
          type: 'link',
          url: String(mark.attrs.href ?? ''),
          title: mark.attrs.title ?? null,
          children: [],
        };
    }
  }

  private leaf(node: PMNode, inCell: boolean): Phrasing[] {
    switch (node.type.name) {
      case 'text':
        return node.marks.some((m) => m.type.name === 'code')
          ? [{ type: 'inlineCode', value: node.text ?? '' }]
          : [{ type: 'text', value: node.text ?? '' }];
      case 'hardBreak':
        if (!inCell) return [{ type: 'break' }];
        this.warnings.add('MD_TABLE_CELL_FLATTENED', 'Line breaks in table cells became spaces');
        return [{ type: 'text', value: ' ' }];
      case 'image':
        if (node.attrs.width != null || node.attrs.height != null) {
          this.warnings.add(
            'MD_IMAGE_SIZE_LOST',
            'Image display sizes have no Markdown form and were dropped',
          );
        }
        return [
          {
            type: 'image',
            url: String(node.attrs.src ?? ''),
            alt: node.attrs.alt ?? null,
            title: node.attrs.title ?? null,
          },
        ];
      case 'atomInline':
        this.atomLost();
        return [{ type: 'text', value: String(node.attrs.label) }];
      case 'note': {
        if (node.attrs.kind === 'endnote')
          this.warnings.add(
            'MD_ENDNOTE_AS_FOOTNOTE',
            'Markdown has footnotes only: endnotes were written as footnotes',
          );
        const identifier = String(this.notes.length + 1);
        // Reserve the number before the note's own content is written (it cannot hold notes, but keep order).
        const definition: Md.FootnoteDefinition = {
          type: 'footnoteDefinition',
          identifier,
          label: identifier,
          children: [],
        };
        this.notes.push(definition);
        definition.children = [{ type: 'paragraph', children: this.inline(node) }];
        return [{ type: 'footnoteReference', identifier, label: identifier }];
      }
      default:
        return [];
    }
  }
}

/** Writes a schema document as Markdown, with a warning for every loss. */
export function writeMarkdown(doc: JSONContent): { text: string; warnings: ConversionWarning[] } {
  const node = validateDoc(doc);
  const writer = new MarkdownWriter();
  const body = writer.blocks(node);
  const root: Md.Root = { type: 'root', children: [...body, ...writer.notes] };
  const text = toMarkdown(root, {
    extensions: [gfmTableToMarkdown(), gfmStrikethroughToMarkdown(), gfmFootnoteToMarkdown()],
    bullet: '-',
    fences: true,
    rule: '-',
    resourceLink: true,
  });
  return { text, warnings: writer.warnings.list() };
}
