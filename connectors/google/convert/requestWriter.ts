/**
 * Accumulates documents.batchUpdate requests in the order they must be sent, with small helpers that speak
 * the schema's terms (marks, paragraph properties) and emit Google's request objects and field masks.
 */
import type { docs_v1 } from '@googleapis/docs';
import type { JSONContent } from '@tiptap/core';
import type { WarningCollector } from '../../model/warnings.ts';
import { CODE_FONT } from './fonts.ts';
import { marksKey } from './project.ts';
import type { ImageInline, Marks, ParaUnit } from './units.ts';

type Request = docs_v1.Schema$Request;

/** The paragraph-level properties the writer manages. */
export type ParaProps = Pick<ParaUnit, 'style' | 'bullet' | 'quote' | 'code' | 'hr'>;

const pt = (magnitude: number) => ({ magnitude, unit: 'PT' });
/** Indent written for quoted paragraphs (Google's "increase indent" step). */
export const QUOTE_INDENT = pt(36);
/** Shading written for code lines (any colour reads back as code). */
export const CODE_SHADING = {
  backgroundColor: { color: { rgbColor: { red: 0.95, green: 0.95, blue: 0.95 } } },
};
/** Bottom border written for a horizontal rule (an empty bordered paragraph). */
export const RULE_BORDER = {
  color: { color: { rgbColor: { red: 0.6, green: 0.6, blue: 0.6 } } },
  width: pt(1),
  padding: pt(1),
  dashStyle: 'SOLID',
};

function linkOf(href: string): docs_v1.Schema$Link {
  if (href.startsWith('#heading=')) return { headingId: href.slice(9) };
  if (href.startsWith('#bookmark=')) return { bookmarkId: href.slice(10) };
  return { url: href };
}

/** The Google text style holding exactly `marks` (only set fields), as a written document carries it. */
export function textStyleOf(marks: Marks): docs_v1.Schema$TextStyle {
  const ts: docs_v1.Schema$TextStyle = {};
  if (marks.bold) ts.bold = true;
  if (marks.italic) ts.italic = true;
  if (marks.underline) ts.underline = true;
  if (marks.strike) ts.strikethrough = true;
  if (marks.link) ts.link = linkOf(marks.link);
  if (marks.code) ts.weightedFontFamily = { fontFamily: CODE_FONT, weight: 400 };
  return ts;
}

/** Resolves an image `src` to a public URI Google can fetch, or null when it cannot be written. */
export type ImageUriResolver = (src: string) => string | null;

/** The default resolver: http(s) URLs as they are; `data:` URLs cannot be inserted by URI. */
export const publicUrlsOnly: ImageUriResolver = (src) => (/^https?:\/\//i.test(src) ? src : null);

/**
 * The URI an image is written with, or null (warned) when Google cannot take it; alt text and titles are
 * not written (warned). One rule for pushes and for documents written offline.
 */
export function writableImageUri(
  image: ImageInline,
  imageUri: ImageUriResolver,
  warnings: WarningCollector,
): string | null {
  const uri = imageUri(image.src);
  if (!uri) {
    warnings.add(
      'GDOCS_IMAGE_NOT_PUBLIC',
      'An image without a public URL cannot be inserted into Google Docs',
    );
    return null;
  }
  if (image.alt || image.title) warnings.add('GDOCS_IMAGE_ALT', 'Image alt text and titles are not written');
  return uri;
}

/** A footnote created by `requests[request]` (a createFootnote), to be filled with `note` once it exists. */
export interface FootnoteToFill {
  request: number;
  note: JSONContent[];
}

/** What one push sends: its requests, and the footnotes they create, which a second batch fills. */
interface Batch {
  requests: Request[];
  footnotes: FootnoteToFill[];
}

/**
 * Collects the requests of one push, with the warnings and the image URI policy that shape them. A writer
 * addresses one segment: the body, or (from `inSegment`) a footnote, whose requests carry its `segmentId`.
 */
export class RequestWriter {
  constructor(
    readonly warnings: WarningCollector,
    readonly imageUri: ImageUriResolver,
    private readonly batch: Batch = { requests: [], footnotes: [] },
    private readonly segmentId?: string,
  ) {}

  /** The requests, in the order they must be sent (shared by every segment's writer). */
  get requests(): Request[] {
    return this.batch.requests;
  }

  /** The footnotes these requests create. */
  get footnotes(): FootnoteToFill[] {
    return this.batch.footnotes;
  }

  /** A writer of the same batch for the segment `segmentId` (a footnote). */
  inSegment(segmentId: string): RequestWriter {
    return new RequestWriter(this.warnings, this.imageUri, this.batch, segmentId);
  }

  private at<T extends object>(location: T): T & { segmentId?: string } {
    return this.segmentId ? { ...location, segmentId: this.segmentId } : location;
  }

  insertText(index: number, text: string): void {
    if (text.length > 0) this.requests.push({ insertText: { location: this.at({ index }), text } });
  }

  deleteRange(startIndex: number, endIndex: number): void {
    if (endIndex > startIndex)
      this.requests.push({ deleteContentRange: { range: this.at({ startIndex, endIndex }) } });
  }

  /** A new footnote at `index` (body only), filled with `note` by the push's second batch. */
  createFootnote(index: number, note: JSONContent[]): void {
    this.requests.push({ createFootnote: { location: { index } } });
    this.footnotes.push({ request: this.requests.length - 1, note });
  }

  /** Sets marks `to` on [s, e) knowing the text currently has `from` (null: unknown, set every field). */
  restyle(s: number, e: number, from: Marks | null, to: Marks): void {
    if (e <= s || (from && marksKey(from) === marksKey(to))) return;
    const fields: string[] = [];
    const textStyle: docs_v1.Schema$TextStyle = {};
    const bool = (
      name: 'bold' | 'italic' | 'underline' | 'strikethrough',
      a?: true,
      b?: true,
      force = false,
    ) => {
      if (!from || force || Boolean(a) !== Boolean(b)) {
        fields.push(name);
        if (b) textStyle[name] = true;
      }
    };
    bool('bold', from?.bold, to.bold);
    bool('italic', from?.italic, to.italic);
    // Removing a link also changes the underline (Google restyles the range): then set it explicitly.
    if (!to.link) bool('underline', from?.underline, to.underline, Boolean(from?.link));
    bool('strikethrough', from?.strike, to.strike);
    if (!from || from.link !== to.link) {
      fields.push('link');
      if (to.link) textStyle.link = linkOf(to.link);
    }
    if (!from || Boolean(from.code) !== Boolean(to.code)) {
      fields.push('weightedFontFamily');
      if (to.code) textStyle.weightedFontFamily = { fontFamily: CODE_FONT, weight: 400 };
    }
    if (fields.length === 0) return;
    this.requests.push({
      updateTextStyle: {
        range: this.at({ startIndex: s, endIndex: e }),
        textStyle,
        fields: fields.join(','),
      },
    });
  }

  private paragraphStyle(s: number, paragraphStyle: docs_v1.Schema$ParagraphStyle, fields: string): void {
    this.requests.push({
      updateParagraphStyle: { range: this.at({ startIndex: s, endIndex: s + 1 }), paragraphStyle, fields },
    });
  }

  /**
   * Brings the paragraph starting at `s` from `believed` properties (null: unknown) to `want`'s. Bullets
   * are (re)created with leading tabs for the nesting level, which Google removes.
   */
  paragraphProps(s: number, want: ParaProps, believed: ParaProps | null): void {
    if (!believed || believed.style !== want.style)
      this.paragraphStyle(s, { namedStyleType: want.style }, 'namedStyleType');
    const sameBullet =
      believed !== null &&
      (believed.bullet === want.bullet ||
        (believed.bullet !== null &&
          want.bullet !== null &&
          believed.bullet.level === want.bullet.level &&
          believed.bullet.ordered === want.bullet.ordered));
    let indentDirty = !believed || believed.quote !== want.quote;
    if (!sameBullet) {
      if (!believed || believed.bullet) {
        this.requests.push({ deleteParagraphBullets: { range: { startIndex: s, endIndex: s + 1 } } });
        indentDirty = true;
      }
      if (want.bullet) {
        this.insertText(s, '\t'.repeat(want.bullet.level));
        const bulletPreset = want.bullet.ordered
          ? 'NUMBERED_DECIMAL_ALPHA_ROMAN'
          : 'BULLET_DISC_CIRCLE_SQUARE';
        this.requests.push({
          createParagraphBullets: { range: { startIndex: s, endIndex: s + 1 }, bulletPreset },
        });
      }
    }
    if (!want.bullet && indentDirty) {
      const style = want.quote ? { indentStart: QUOTE_INDENT, indentFirstLine: QUOTE_INDENT } : {};
      this.paragraphStyle(s, style, 'indentStart,indentFirstLine');
    }
    if (!believed || believed.code !== want.code)
      this.paragraphStyle(s, want.code ? { shading: CODE_SHADING } : {}, 'shading');
    if (!believed || believed.hr !== want.hr)
      this.paragraphStyle(s, want.hr ? { borderBottom: RULE_BORDER } : {}, 'borderBottom');
  }
}

/** The paragraph properties of a unit. */
export function propsOf(u: ParaUnit): ParaProps {
  return { style: u.style, bullet: u.bullet, quote: u.quote, code: u.code, hr: u.hr };
}
