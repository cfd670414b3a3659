/**
 * The style information the ODF reader needs: which named style a paragraph style derives from (its block
 * meaning), which marks a text style sets, and what each list style numbers with. Built from the automatic
 * styles of `content.xml` and the styles of `styles.xml`.
 */
import { childElements, getAttr, type XmlElement } from '../safeXml.ts';
import { NS } from './namespaces.ts';
import { AUTO_STYLES } from './styles.ts';

/** What a paragraph style means for the schema. */
export type ParagraphKind =
  | { kind: 'paragraph' }
  | { kind: 'heading'; level: number }
  | { kind: 'title' }
  | { kind: 'subtitle' }
  | { kind: 'quote' }
  | { kind: 'code' }
  | { kind: 'rule' };

/** The numbering of one list level. */
export interface ListLevel {
  ordered: boolean;
  /** ODF num-format (`1`, `a`, `A`, `i`, `I`) for ordered levels. */
  format: string;
  start: number;
}

interface StyleEntry {
  name: string;
  parent: string | undefined;
  automatic: boolean;
  text: Map<string, string>;
  /** `fo:break-before` / `fo:break-after` of its paragraph properties. */
  breaks: { before?: string; after?: string };
  columnWidth: string | undefined;
}

const MONO = /mono|courier|consolas|menlo|code|fixed/i;

/** ODF style names encode characters as `_xx_` hex (`Heading_20_1`); compare on the decoded, lowercased name. */
function decodeName(name: string): string {
  return name
    .replace(/_([0-9a-fA-F]{2})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    .toLowerCase();
}

/** Looks up styles by family and name across both style-bearing parts. */
export class OdtStyleSheet {
  private readonly styles = new Map<string, StyleEntry>();
  private readonly lists = new Map<string, XmlElement>();

  constructor(roots: XmlElement[]) {
    for (const root of roots) {
      for (const container of childElements(root, NS.office)) {
        if (!['styles', 'automatic-styles'].includes(container.local)) continue;
        const automatic = container.local === 'automatic-styles';
        for (const style of childElements(container)) this.add(style, automatic);
      }
    }
  }

  private add(style: XmlElement, automatic: boolean): void {
    const name = getAttr(style, NS.style, 'name');
    if (!name) return;
    if (style.uri === NS.text && style.local === 'list-style') {
      this.lists.set(name, style);
      return;
    }
    if (style.uri !== NS.style || style.local !== 'style') return;
    const family = getAttr(style, NS.style, 'family') ?? '';
    const text = new Map<string, string>();
    for (const props of childElements(style, NS.style, 'text-properties')) {
      for (const attr of props.attributes) text.set(attr.local, attr.value);
    }
    const breaks: StyleEntry['breaks'] = {};
    for (const props of childElements(style, NS.style, 'paragraph-properties')) {
      const before = getAttr(props, NS.fo, 'break-before');
      const after = getAttr(props, NS.fo, 'break-after');
      if (before) breaks.before = before;
      if (after) breaks.after = after;
    }
    const columnWidth = childElements(style, NS.style, 'table-column-properties')
      .map((p) => getAttr(p, NS.style, 'column-width'))
      .find((w) => w !== undefined);
    const key = `${family}|${name}`;
    // content.xml is read first: its automatic styles win over a same-named style of styles.xml.
    if (!this.styles.has(key)) {
      this.styles.set(key, {
        name,
        parent: getAttr(style, NS.style, 'parent-style-name'),
        automatic,
        text,
        breaks,
        columnWidth,
      });
    }
  }

  /** The chain of styles from `name` up through its parents (guarded against cycles). */
  private chain(family: string, name: string | undefined): StyleEntry[] {
    const out: StyleEntry[] = [];
    const seen = new Set<string>();
    let current = name;
    while (current && !seen.has(current) && out.length < 32) {
      seen.add(current);
      const entry = this.styles.get(`${family}|${current}`);
      out.push(
        entry ?? {
          name: current,
          parent: undefined,
          automatic: false,
          text: new Map(),
          breaks: {},
          columnWidth: undefined,
        },
      );
      current = entry?.parent;
    }
    return out;
  }

  /** Whether a paragraph of style `name` starts and/or ends with a page break (nearest style that says). */
  pageBreaks(name: string | undefined): { before: boolean; after: boolean } {
    const chain = this.chain('paragraph', name);
    const before = chain.find((s) => s.breaks.before)?.breaks.before;
    const after = chain.find((s) => s.breaks.after)?.breaks.after;
    return { before: before === 'page', after: after === 'page' };
  }

  /** The schema meaning of a paragraph style (by the first known named style in its chain). */
  paragraphKind(name: string | undefined): ParagraphKind {
    for (const entry of this.chain('paragraph', name)) {
      const decoded = decodeName(entry.name);
      const heading = /^heading (\d)$/.exec(decoded);
      if (heading) return { kind: 'heading', level: Number(heading[1]) };
      if (decoded === 'title') return { kind: 'title' };
      if (decoded === 'subtitle') return { kind: 'subtitle' };
      if (decoded === 'quotations') return { kind: 'quote' };
      if (decoded === 'preformatted text') return { kind: 'code' };
      if (decoded === 'horizontal line') return { kind: 'rule' };
    }
    return { kind: 'paragraph' };
  }

  /** Marks set by a text style (whole chain), or by the automatic paragraph style itself (direct formatting). */
  marks(family: 'text' | 'paragraph', name: string | undefined): string[] {
    const chain = this.chain(family, name);
    const entries = family === 'paragraph' ? chain.filter((e, i) => i === 0 && e.automatic) : chain;
    const props = new Map<string, string>();
    let code = false;
    for (const entry of [...entries].reverse()) {
      for (const [key, value] of entry.text) props.set(key, value);
      if (decodeName(entry.name) === 'source text') code = true;
    }
    const font = `${props.get('font-name') ?? ''} ${props.get('font-family') ?? ''}`;
    if (code || MONO.test(font)) return ['code'];
    const marks: string[] = [];
    const weight = props.get('font-weight');
    if (weight === 'bold' || (weight && Number(weight) >= 600)) marks.push('bold');
    if (['italic', 'oblique'].includes(props.get('font-style') ?? '')) marks.push('italic');
    const underline = props.get('text-underline-style');
    if (underline && underline !== 'none') marks.push('underline');
    const strike = props.get('text-line-through-style');
    if (strike && strike !== 'none') marks.push('strike');
    return marks;
  }

  /** The numbering of `level` (1-based) in list style `name`; bullets when unknown. */
  listLevel(name: string | undefined, level: number): ListLevel {
    const style = name ? this.lists.get(name) : undefined;
    const levels = style ? childElements(style) : [];
    const match =
      levels.find((l) => getAttr(l, NS.text, 'level') === String(level)) ??
      levels.find((l) => getAttr(l, NS.text, 'level') === String(Math.min(level, 10)));
    if (match?.local !== 'list-level-style-number') return { ordered: false, format: '1', start: 1 };
    const format = getAttr(match, NS.style, 'num-format') ?? '1';
    const start = Number.parseInt(getAttr(match, NS.text, 'start-value') ?? '1', 10);
    return { ordered: format !== '', format: format || '1', start: Number.isFinite(start) ? start : 1 };
  }

  /** The width of a table-column style in pixels (96 per inch), or null when it has none. */
  columnWidthPx(name: string | undefined): number | null {
    const width = name ? this.styles.get(`table-column|${name}`)?.columnWidth : undefined;
    const match = width ? /^([0-9.]+)(in|cm|mm|pt|pc|px)$/.exec(width) : null;
    if (!match) return null;
    const perUnit: Record<string, number> = {
      in: 96,
      cm: 96 / 2.54,
      mm: 96 / 25.4,
      pt: 96 / 72,
      pc: 16,
      px: 1,
    };
    return Math.round(Number(match[1]) * (perUnit[match[2] ?? 'px'] ?? 1));
  }

  /** True for the cell style our writer gives header cells. */
  isHeaderCellStyle(name: string | undefined): boolean {
    return name === AUTO_STYLES.headerCell;
  }
}
