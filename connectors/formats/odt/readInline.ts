/**
 * The inline part of the ODF reader: the content of one text:p or text:h to schema inline nodes, applying
 * ODF's whitespace rules, styles as marks, links, images (embedded pictures become data URLs), and
 * everything else (notes, comments, fields, bookmarks, tracked changes...) as `atomInline` nodes that keep
 * the original XML for the ODF writer.
 */

import type { JSONContent } from '@tiptap/core';
import { hashJson } from '../../microsoft/docx/blockHash.ts';
import { sealAtom } from '../../model/atomSeal.ts';
import { canonicalNoteContent, plainNoteContent } from '../../model/notes.ts';
import type { WarningCollector } from '../../model/warnings.ts';
import {
  childElements,
  firstChild,
  getAttr,
  textContent,
  type XmlElement,
  type XmlNode,
} from '../safeXml.ts';
import { encodeDataUrl, isSafeImageSrc, isSafeLinkHref } from '../urlPolicy.ts';
import { frameSizeIsLost } from './frameSize.ts';
import { NS } from './namespaces.ts';
import type { OdtStyleSheet } from './readStyles.ts';
import { visibleOdfText } from './visibleText.ts';

type Mark = NonNullable<JSONContent['marks']>[number];

/** What the inline reader needs from the package. */
export interface OdtReadContext {
  styles: OdtStyleSheet;
  warnings: WarningCollector;
  /** The decoded content.xml, for slicing atoms' original XML. */
  source: string;
  /** Package entries by path, for pictures. */
  files: Pick<Map<string, Uint8Array>, 'get'>;
  /** Media types from the manifest by path. */
  mediaTypes: Map<string, string>;
}

const FIELDS = new Set([
  'date',
  'time',
  'page-number',
  'page-count',
  'page-continuation',
  'author-name',
  'author-initials',
  'title',
  'subject',
  'description',
  'file-name',
  'chapter',
  'sequence',
  'sequence-ref',
  'reference-ref',
  'bookmark-ref',
  'note-ref',
  'variable-get',
  'variable-set',
  'user-field-get',
  'user-defined',
  'expression',
  'text-input',
  'word-count',
  'character-count',
  'paragraph-count',
  'creation-date',
  'modification-date',
  'initial-creator',
  'creator',
  'keywords',
  'sender-name',
  'database-display',
  'placeholder',
  'conditional-text',
  'hidden-text',
  'drop-down',
  'template-name',
  'sheet-name',
  'editing-duration',
  'print-date',
  'print-time',
]);
const IGNORED = new Set([
  'soft-page-break',
  'number',
  'bookmark-end',
  'reference-mark-end',
  'alphabetical-index-mark-end',
]);
const TRANSPARENT = new Set(['meta', 'meta-field']);

const PICTURE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
};

/** Reads the inline content of one paragraph; create one per paragraph (it holds whitespace state). */
export class OdtInlineReader {
  private afterSpace = true;

  constructor(private readonly ctx: OdtReadContext) {}

  /** Inline nodes of `element`'s children under the given marks. */
  children(element: XmlElement, marks: Mark[]): JSONContent[] {
    return element.children.flatMap((child) => this.node(child, marks));
  }

  private node(node: XmlNode, marks: Mark[]): JSONContent[] {
    if (node.type === 'text') return this.text(node.text, marks);
    if (node.uri === NS.text) return this.textElement(node, marks);
    if (node.uri === NS.draw && node.local === 'frame') return this.frame(node, marks);
    if (node.uri === NS.draw && node.local === 'a') return this.link(node, marks);
    // A comment shows nothing in the body: its author, date and text are not the label.
    if (node.uri === NS.office && (node.local === 'annotation' || node.local === 'annotation-end'))
      return this.atom(node, node.local === 'annotation' ? 'comment' : 'commentEnd', '');
    return this.atom(node, node.local, visibleOdfText(node));
  }

  private textElement(el: XmlElement, marks: Mark[]): JSONContent[] {
    switch (el.local) {
      case 'span': {
        const extra = this.ctx.styles.marks('text', getAttr(el, NS.text, 'style-name'));
        return this.children(el, mergeMarks(marks, extra));
      }
      case 'a':
        return this.link(el, marks);
      case 's': {
        const count = Math.min(
          Math.max(Number.parseInt(getAttr(el, NS.text, 'c') ?? '1', 10) || 1, 1),
          10_000,
        );
        this.afterSpace = false;
        return textNode(' '.repeat(count), marks);
      }
      case 'tab':
        this.afterSpace = false;
        return textNode('\t', marks);
      case 'line-break':
        this.afterSpace = false;
        return [{ type: 'hardBreak' }];
      case 'note':
        return this.note(el);
      case 'bookmark':
      case 'bookmark-start':
        return this.atom(el, 'bookmark', '');
      case 'change':
      case 'change-start':
      case 'change-end':
        // Change marks show nothing: inserted text stays in the paragraph, deleted text is not current text.
        return this.atom(el, 'tracked-change', '');
      default:
        if (IGNORED.has(el.local)) return [];
        if (TRANSPARENT.has(el.local)) return this.children(el, marks);
        if (FIELDS.has(el.local)) return this.atom(el, 'field', visibleOdfText(el));
        return this.atom(el, el.local, visibleOdfText(el));
    }
  }

  /**
   * A text:note as a `note` node: its body's paragraphs joined by hard breaks. The payload keeps the original
   * element and the hash of the content read, so the writer puts an unedited note back verbatim.
   */
  private note(el: XmlElement): JSONContent[] {
    this.afterSpace = false;
    const kind = getAttr(el, NS.text, 'note-class') === 'endnote' ? 'endnote' : 'footnote';
    const body = firstChild(el, NS.text, 'note-body');
    const content: JSONContent[] = [];
    const paragraphs = body
      ? childElements(body, NS.text).filter((p) => p.local === 'p' || p.local === 'h')
      : [];
    for (const [index, paragraph] of paragraphs.entries()) {
      if (index > 0) content.push({ type: 'hardBreak' });
      const inline = new OdtInlineReader(this.ctx).children(paragraph, []);
      content.push(
        ...plainNoteContent(
          inline.map((n) => (n.marks ? { ...n, marks: n.marks.filter((m) => m.type !== 'link') } : n)),
          () =>
            this.ctx.warnings.add(
              'ODT_NOTE_CONTENT_FLATTENED',
              'Objects inside notes are read as their text',
            ),
        ),
      );
    }
    const canonical = canonicalNoteContent(kind, content);
    const payload = JSON.stringify({
      xml: this.ctx.source.slice(el.start, el.end),
      hash: hashJson(canonical),
    });
    return [
      {
        type: 'note',
        attrs: { kind, source: 'odt', payload, seal: sealAtom('odt', payload) },
        ...(canonical.length ? { content: canonical } : {}),
      },
    ];
  }

  private link(el: XmlElement, marks: Mark[]): JSONContent[] {
    const href = getAttr(el, NS.xlink, 'href') ?? '';
    if (!isSafeLinkHref(href)) {
      this.ctx.warnings.add('ODT_UNSAFE_URL_DROPPED', 'A link with an unsafe URL was kept as plain text');
      return this.children(el, marks);
    }
    const link: Mark = {
      type: 'link',
      attrs: {
        href,
        target: getAttr(el, NS.office, 'target-frame-name') ?? '_blank',
        title: getAttr(el, NS.office, 'title') ?? null,
      },
    };
    return this.children(el, [...marks.filter((m) => m.type !== 'link'), link]);
  }

  /** ODF whitespace: a run of spaces, tabs and newlines counts once, and never at the paragraph start. */
  private text(value: string, marks: Mark[]): JSONContent[] {
    let out = '';
    for (const ch of value) {
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
        if (!this.afterSpace) out += ' ';
        this.afterSpace = true;
      } else {
        out += ch;
        this.afterSpace = false;
      }
    }
    return textNode(out, marks);
  }

  private frame(el: XmlElement, marks: Mark[]): JSONContent[] {
    this.afterSpace = false;
    const image = firstChild(el, NS.draw, 'image');
    if (!image)
      return this.atom(el, firstChild(el, NS.draw, 'object') ? 'object' : 'drawing', visibleOdfText(el));
    const href = getAttr(image, NS.xlink, 'href') ?? '';
    const title = firstChild(el, NS.svg, 'title');
    const desc = firstChild(el, NS.svg, 'desc');
    const alt = desc ? textContent(desc) : null;
    const src = this.pictureSrc(href, getAttr(image, NS.draw, 'mime-type'));
    if (!src) {
      this.ctx.warnings.add(
        'ODT_IMAGE_DROPPED',
        'Images in unsupported formats or at unsafe URLs were dropped',
      );
      return alt ? textNode(alt, marks) : [];
    }
    const bytes = /^[a-z][a-z0-9+.-]*:/i.test(href)
      ? undefined
      : this.ctx.files.get(href.replace(/^\.\//, ''));
    if (frameSizeIsLost(getAttr(el, NS.svg, 'width'), getAttr(el, NS.svg, 'height'), bytes)) {
      this.ctx.warnings.add(
        'ODT_IMAGE_SIZE_LOST',
        'Image display sizes are not read (images keep their own size)',
      );
    }
    const linkMarks = marks.filter((m) => m.type === 'link');
    return [
      {
        type: 'image',
        attrs: { src, alt: alt || null, title: title ? textContent(title) : null },
        ...(linkMarks.length ? { marks: linkMarks } : {}),
      },
    ];
  }

  private pictureSrc(href: string, declaredType: string | undefined): string | null {
    if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return isSafeImageSrc(href) ? href : null;
    const path = href.replace(/^\.\//, '');
    const bytes = this.ctx.files.get(path);
    if (!bytes) return null;
    const extension = path.split('.').pop()?.toLowerCase() ?? '';
    const mediaType = this.ctx.mediaTypes.get(path) || declaredType || PICTURE_TYPES[extension] || '';
    const src = encodeDataUrl(mediaType, bytes);
    return isSafeImageSrc(src) ? src : null;
  }

  private atom(el: XmlElement, kind: string, label: string): JSONContent[] {
    this.afterSpace = false;
    const payload = this.ctx.source.slice(el.start, el.end);
    return [
      {
        type: 'atomInline',
        attrs: { kind, label, source: 'odt', payload, seal: sealAtom('odt', payload) },
      },
    ];
  }
}

function textNode(text: string, marks: Mark[]): JSONContent[] {
  if (!text) return [];
  return [{ type: 'text', text, ...(marks.length ? { marks } : {}) }];
}

/** Adds style marks to inherited ones; code excludes every other mark in the schema. */
export function mergeMarks(marks: Mark[], extra: string[]): Mark[] {
  if (extra.includes('code') || marks.some((m) => m.type === 'code')) return [{ type: 'code' }];
  const out = [...marks];
  for (const type of extra) if (!out.some((m) => m.type === type)) out.push({ type });
  return out;
}
