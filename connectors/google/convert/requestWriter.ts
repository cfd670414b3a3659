/**
 * Accumulates documents.batchUpdate requests in the order they must be sent, with small helpers that speak
 * the schema's terms (marks, paragraph properties) and emit Google's request objects and field masks.
 */
import type { docs_v1 } from '@googleapis/docs';
import type { WarningCollector } from '../../model/warnings.ts';
import { CODE_FONT } from './fonts.ts';
import { marksKey } from './project.ts';
import type { Marks, ParaUnit } from './units.ts';

type Request = docs_v1.Schema$Request;

/** The paragraph-level properties the writer manages. */
export type ParaProps = Pick<ParaUnit, 'style' | 'bullet' | 'quote' | 'code' | 'hr'>;

const pt = (magnitude: number) => ({ magnitude, unit: 'PT' });
/** Indent written for quoted paragraphs (Google's "increase indent" step). */
export const QUOTE_INDENT = pt(36);
const CODE_SHADING = { backgroundColor: { color: { rgbColor: { red: 0.95, green: 0.95, blue: 0.95 } } } };
const RULE_BORDER = {
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

/** Resolves an image `src` to a public URI Google can fetch, or null when it cannot be written. */
export type ImageUriResolver = (src: string) => string | null;

/** The default resolver: http(s) URLs as they are; `data:` URLs cannot be inserted by URI. */
export const publicUrlsOnly: ImageUriResolver = (src) => (/^https?:\/\//i.test(src) ? src : null);

/** Collects the requests of one push, with the warnings and the image URI policy that shape them. */
export class RequestWriter {
  readonly requests: Request[] = [];

  constructor(
    readonly warnings: WarningCollector,
    readonly imageUri: ImageUriResolver,
  ) {}

  insertText(index: number, text: string): void {
    if (text.length > 0) this.requests.push({ insertText: { location: { index }, text } });
  }

  deleteRange(startIndex: number, endIndex: number): void {
    if (endIndex > startIndex)
      this.requests.push({ deleteContentRange: { range: { startIndex, endIndex } } });
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
      updateTextStyle: { range: { startIndex: s, endIndex: e }, textStyle, fields: fields.join(',') },
    });
  }

  private paragraphStyle(s: number, paragraphStyle: docs_v1.Schema$ParagraphStyle, fields: string): void {
    this.requests.push({
      updateParagraphStyle: { range: { startIndex: s, endIndex: s + 1 }, paragraphStyle, fields },
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
