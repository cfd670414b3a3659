/**
 * Markdown (CommonMark + GFM tables, strikethrough and footnotes) to schema JSON, through mdast
 * (`mdast-util-from-markdown` with the micromark GFM extensions). Raw HTML is kept as literal text,
 * never interpreted; unsafe link and image URLs are dropped.
 */
import type { JSONContent } from '@tiptap/core';
import type * as Md from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { ConversionError } from '../model/errors.ts';
import { plainNoteContent } from '../model/notes.ts';
import { normalizeDoc } from '../model/schema.ts';
import { type ConversionResult, WarningCollector } from '../model/warnings.ts';
import { isSafeImageSrc, isSafeLinkHref } from './urlPolicy.ts';

type Mark = NonNullable<JSONContent['marks']>[number];

/** Largest Markdown input accepted, in characters. */
export const MAX_MARKDOWN_CHARS = 20_000_000;
const MAX_DEPTH = 100;

class MarkdownReader {
  readonly warnings = new WarningCollector();
  private readonly definitions = new Map<string, Md.Definition>();
  private readonly footnotes = new Map<string, Md.FootnoteDefinition>();
  /** Inside a footnote's text, where a further reference cannot be a note (notes do not nest). */
  private inNote = false;

  constructor(root: Md.Root) {
    const collect = (node: Md.Nodes) => {
      if (node.type === 'definition' && !this.definitions.has(node.identifier)) {
        this.definitions.set(node.identifier, node);
      }
      if (node.type === 'footnoteDefinition' && !this.footnotes.has(node.identifier)) {
        this.footnotes.set(node.identifier, node);
      }
      if ('children' in node) for (const child of node.children) collect(child);
    };
    collect(root);
  }

  blocks(nodes: Md.Nodes[], depth: number): JSONContent[] {
    if (depth > MAX_DEPTH)
      throw new ConversionError('NESTING_TOO_DEEP', `Markdown nests deeper than ${MAX_DEPTH}`);
    return nodes.flatMap((node) => this.block(node, depth));
  }

  private block(node: Md.Nodes, depth: number): JSONContent[] {
    switch (node.type) {
      case 'paragraph': {
        // A paragraph can come out empty (e.g. `[](url)`); Markdown cannot write an empty one, so drop it.
        const paragraph = textblock({ type: 'paragraph' }, this.inline(node.children, [], depth));
        return paragraph.content ? [paragraph] : [];
      }
      case 'heading':
        return [
          textblock({ type: 'heading', attrs: { level: node.depth } }, this.inline(node.children, [], depth)),
        ];
      case 'thematicBreak':
        return [{ type: 'horizontalRule' }];
      case 'blockquote':
        return [{ type: 'blockquote', content: nonEmpty(this.blocks(node.children, depth + 1)) }];
      case 'list': {
        const content = node.children.map((item) => this.listItem(item, depth + 1));
        if (node.ordered) return [{ type: 'orderedList', attrs: { start: node.start ?? 1 }, content }];
        return [{ type: 'bulletList', content }];
      }
      case 'code':
        if (node.meta)
          this.warnings.add('MD_CODE_META_LOST', 'Code fence info after the language was dropped');
        return [
          {
            type: 'codeBlock',
            attrs: { language: node.lang ?? null },
            ...(node.value ? { content: [{ type: 'text', text: node.value }] } : {}),
          },
        ];
      case 'html':
        this.warnings.add('MD_RAW_HTML_AS_TEXT', 'Raw HTML was kept as literal text');
        return [textblock({ type: 'paragraph' }, node.value ? [{ type: 'text', text: node.value }] : [])];
      case 'table':
        return [this.table(node, depth)];
      case 'definition':
      case 'footnoteDefinition':
        return [];
      default:
        this.warnings.add('MD_UNSUPPORTED_BLOCK', `Unsupported Markdown block ${node.type} was dropped`);
        return [];
    }
  }

  private listItem(item: Md.Nodes, depth: number): JSONContent {
    const children = item.type === 'listItem' ? this.blocks(item.children, depth) : [];
    if (children[0]?.type !== 'paragraph') children.unshift({ type: 'paragraph' });
    return { type: 'listItem', content: children };
  }

  private table(node: Md.Table, depth: number): JSONContent {
    const align = node.align ?? [];
    return {
      type: 'table',
      content: node.children.map((row, r) => ({
        type: 'tableRow',
        content: row.children.map((cell, c) => ({
          type: r === 0 ? 'tableHeader' : 'tableCell',
          attrs: { align: align[c] ?? null },
          content: [textblock({ type: 'paragraph' }, this.inline(cell.children, [], depth))],
        })),
      })),
    };
  }

  inline(nodes: Md.Nodes[], marks: Mark[], depth: number): JSONContent[] {
    if (depth > MAX_DEPTH)
      throw new ConversionError('NESTING_TOO_DEEP', `Markdown nests deeper than ${MAX_DEPTH}`);
    return nodes.flatMap((node) => this.inlineNode(node, marks, depth + 1));
  }

  private inlineNode(node: Md.Nodes, marks: Mark[], depth: number): JSONContent[] {
    const text = (value: string, withMarks: Mark[]) =>
      value ? [{ type: 'text', text: value, ...(withMarks.length ? { marks: withMarks } : {}) }] : [];
    switch (node.type) {
      case 'text':
        return text(node.value, marks);
      case 'html':
        this.warnings.add('MD_RAW_HTML_AS_TEXT', 'Raw HTML was kept as literal text');
        return text(node.value, marks);
      case 'inlineCode':
        if (marks.length)
          this.warnings.add('MD_CODE_MARKS_DROPPED', 'Formatting around inline code was dropped');
        // CommonMark turns line endings inside code spans into spaces; mdast leaves that to renderers.
        return text(node.value.replace(/\r\n|\r|\n/g, ' '), [{ type: 'code' }]);
      case 'strong':
        return this.inline(node.children, addMark(marks, 'bold'), depth);
      case 'emphasis':
        return this.inline(node.children, addMark(marks, 'italic'), depth);
      case 'delete':
        return this.inline(node.children, addMark(marks, 'strike'), depth);
      case 'break':
        return [{ type: 'hardBreak' }];
      case 'link':
        return this.inline(node.children, this.withLink(marks, node.url, node.title), depth);
      case 'linkReference': {
        const definition = this.definitions.get(node.identifier);
        if (!definition)
          return [...text(`[`, marks), ...this.inline(node.children, marks, depth), ...text(`]`, marks)];
        return this.inline(node.children, this.withLink(marks, definition.url, definition.title), depth);
      }
      case 'image':
        return this.image(node.url, node.alt, node.title, marks);
      case 'footnoteReference':
        return this.note(node, marks, depth);
      case 'imageReference': {
        const definition = this.definitions.get(node.identifier);
        if (!definition) return text(`![${node.alt ?? ''}]`, marks);
        return this.image(definition.url, node.alt, definition.title, marks);
      }
      default:
        this.warnings.add('MD_UNSUPPORTED_INLINE', `Unsupported Markdown inline ${node.type} was dropped`);
        return [];
    }
  }

  /** `[^x]` as a footnote whose text is its definition's paragraphs joined by hard breaks. */
  private note(node: Md.FootnoteReference, marks: Mark[], depth: number): JSONContent[] {
    const definition = this.footnotes.get(node.identifier);
    if (!definition || this.inNote) {
      if (this.inNote)
        this.warnings.add('MD_NESTED_NOTE_AS_TEXT', 'A footnote inside a footnote was kept as text');
      return [
        { type: 'text', text: `[^${node.label ?? node.identifier}]`, ...(marks.length ? { marks } : {}) },
      ];
    }
    this.inNote = true;
    const content: JSONContent[] = [];
    for (const block of definition.children) {
      if (content.length) content.push({ type: 'hardBreak' });
      if (block.type === 'paragraph') content.push(...this.inline(block.children, [], depth));
      else {
        this.warnings.add(
          'MD_NOTE_BLOCK_FLATTENED',
          'Blocks other than paragraphs in a footnote were read as text',
        );
        content.push({ type: 'text', text: mdText(block) });
      }
    }
    this.inNote = false;
    const plain = plainNoteContent(content, () =>
      this.warnings.add(
        'MD_NOTE_BLOCK_FLATTENED',
        'Blocks other than paragraphs in a footnote were read as text',
      ),
    );
    return [{ type: 'note', attrs: { kind: 'footnote' }, ...(plain.length ? { content: plain } : {}) }];
  }

  private withLink(marks: Mark[], href: string, title: string | null | undefined): Mark[] {
    if (!isSafeLinkHref(href)) {
      this.warnings.add('MD_UNSAFE_URL_DROPPED', 'A link with an unsafe URL was kept as plain text');
      return marks;
    }
    return [
      ...marks.filter((m) => m.type !== 'link'),
      { type: 'link', attrs: { href, title: title ?? null } },
    ];
  }

  private image(
    src: string,
    alt: string | null | undefined,
    title: string | null | undefined,
    marks: Mark[],
  ) {
    if (!isSafeImageSrc(src)) {
      this.warnings.add('MD_UNSAFE_URL_DROPPED', 'An image with an unsafe URL was dropped');
      return alt ? [{ type: 'text', text: alt }] : [];
    }
    const linkMarks = marks.filter((m) => m.type === 'link');
    return [
      {
        type: 'image',
        attrs: { src, alt: alt || null, title: title ?? null },
        ...(linkMarks.length ? { marks: linkMarks } : {}),
      },
    ];
  }
}

/** The plain text of an mdast node. */
function mdText(node: Md.Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  return 'children' in node ? (node.children as Md.Nodes[]).map(mdText).join('') : '';
}

function addMark(marks: Mark[], type: string): Mark[] {
  return marks.some((m) => m.type === type) ? marks : [...marks, { type }];
}

/** A textblock; trailing hard breaks (possible inside a link) are dropped as Markdown cannot write them. */
function textblock(node: JSONContent, content: JSONContent[]): JSONContent {
  while (content[content.length - 1]?.type === 'hardBreak') content.pop();
  return content.length ? { ...node, content } : node;
}

function nonEmpty(blocks: JSONContent[]): JSONContent[] {
  return blocks.length ? blocks : [{ type: 'paragraph' }];
}

/** Parses Markdown into a schema document, with a warning for every construct it could not keep. */
export function readMarkdown(text: string): ConversionResult<JSONContent> {
  if (text.length > MAX_MARKDOWN_CHARS) {
    throw new ConversionError('MD_TOO_LARGE', `Markdown input is above ${MAX_MARKDOWN_CHARS} characters`);
  }
  const root = fromMarkdown(text, {
    extensions: [gfmTable(), gfmStrikethrough({ singleTilde: false }), gfmFootnote()],
    mdastExtensions: [gfmTableFromMarkdown(), gfmStrikethroughFromMarkdown(), gfmFootnoteFromMarkdown()],
  });
  const reader = new MarkdownReader(root);
  const doc = normalizeDoc({ type: 'doc', content: nonEmpty(reader.blocks(root.children, 0)) });
  return { doc, warnings: reader.warnings.list() };
}
