/**
 * What the converter needs of `styles.xml`: which paragraph styles are headings, Title, Subtitle, quotes or
 * code, which character styles imply bold/italic/underline/strike/code, and the ids to write for those roles.
 * Styles are matched by their `w:name` (Word keeps English built-in names even when ids are localized, e.g.
 * id `berschrift1`, name `heading 1`), following `w:basedOn` inheritance; ids are the fallback when a package
 * has no styles part.
 */
import { child, elements, type XmlDocument, type XmlElement } from './xmlTree.ts';

/** The role a paragraph style gives its paragraphs in the schema. */
export interface ParagraphRole {
  heading?: number;
  title?: boolean;
  subtitle?: boolean;
  quote?: boolean;
  code?: boolean;
  numbering?: { numId: string; ilvl: number };
}

/** Marks a character style (or direct run formatting) implies. */
export interface RunMarks {
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
  code?: boolean;
}

interface StyleDef {
  id: string;
  type: string;
  name: string;
  basedOn?: string;
  el: XmlElement;
}

const codeParagraphNames = new Set([
  'source code',
  'html preformatted',
  'code',
  'code block',
  'preformatted text',
]);
const codeRunNames = new Set([
  'html code',
  'source text',
  'verbatim char',
  'code',
  'inline code',
  'html typewriter',
  'code char',
]);
const linkStyleNames = new Set(['hyperlink', 'followedhyperlink', 'internet link']);
const quoteNames = new Set(['quote', 'intense quote', 'block text']);
const monospaceFonts = new Set(
  'courier new,courier,consolas,menlo,monaco,lucida console,lucida sans typewriter,source code pro,dejavu sans mono,liberation mono,fira code,fira mono,roboto mono,ubuntu mono,andale mono,cascadia code,cascadia mono,jetbrains mono,sf mono,noto mono,noto sans mono,inconsolata,monospace,sfmono-regular'.split(
    ',',
  ),
);

/** True when the font family is a monospace one (used to read runs as inline code). */
export function isMonospaceFont(family: string | undefined): boolean {
  return family !== undefined && monospaceFonts.has(family.trim().toLowerCase());
}

/** Reads an OOXML on/off property element (`<w:b/>`, `<w:b w:val="0"/>`); undefined when absent. */
export function onOff(el: XmlElement | undefined): boolean | undefined {
  if (!el) return undefined;
  const v = el.attrs['w:val'];
  return v === undefined || !['0', 'false', 'off', 'none'].includes(v);
}

/** Marks implied by a run properties element (direct formatting or a style's rPr). */
export function marksOfRunProps(rPr: XmlElement | undefined): RunMarks {
  if (!rPr) return {};
  const m: RunMarks = {};
  const b = onOff(child(rPr, 'w:b'));
  if (b !== undefined) m.bold = b;
  const i = onOff(child(rPr, 'w:i'));
  if (i !== undefined) m.italic = i;
  const u = child(rPr, 'w:u');
  if (u) m.underline = (u.attrs['w:val'] ?? 'single') !== 'none';
  const s = onOff(child(rPr, 'w:strike')) ?? onOff(child(rPr, 'w:dstrike'));
  if (s !== undefined) m.strike = s;
  const fonts = child(rPr, 'w:rFonts');
  if (fonts && (fonts.attrs['w:ascii'] ?? fonts.attrs['w:hAnsi']) !== undefined) {
    m.code = isMonospaceFont(fonts.attrs['w:ascii'] ?? fonts.attrs['w:hAnsi']);
  }
  return m;
}

/** The style sheet of one package. */
export class StyleSheet {
  private readonly byId = new Map<string, StyleDef>();
  private readonly roleCache = new Map<string, ParagraphRole>();
  private readonly marksCache = new Map<string, RunMarks>();
  readonly doc: XmlDocument | undefined;

  constructor(doc: XmlDocument | undefined) {
    this.doc = doc;
    if (!doc) return;
    for (const el of elements(doc.root, 'w:style')) {
      const id = el.attrs['w:styleId'];
      if (id === undefined) continue;
      const def: StyleDef = {
        id,
        type: el.attrs['w:type'] ?? 'paragraph',
        name: (child(el, 'w:name')?.attrs['w:val'] ?? id).toLowerCase(),
        el,
      };
      const basedOn = child(el, 'w:basedOn')?.attrs['w:val'];
      if (basedOn !== undefined) def.basedOn = basedOn;
      this.byId.set(id, def);
    }
  }

  /** Id of the style of `type` named `name` (case-insensitive), if the sheet has one. */
  idForName(name: string, type: string): string | undefined {
    const wanted = name.toLowerCase();
    for (const def of this.byId.values()) if (def.type === type && def.name === wanted) return def.id;
    return undefined;
  }

  /** True when a style with this id exists. */
  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The schema role of a paragraph style id (following basedOn; unknown ids judged by the id itself). */
  paragraphRole(styleId: string | undefined): ParagraphRole {
    if (styleId === undefined) return {};
    const cached = this.roleCache.get(styleId);
    if (cached) return cached;
    const role: ParagraphRole = {};
    let numberingSeen = false;
    const seen = new Set<string>();
    let id: string | undefined = styleId;
    while (id !== undefined && !seen.has(id) && seen.size < 32) {
      seen.add(id);
      const def = this.byId.get(id);
      const name = def ? def.name : id.toLowerCase().replace(/^heading(\d)$/, 'heading $1');
      if (!role.heading && !role.title && !role.subtitle && !role.quote && !role.code)
        classifyName(name, role);
      const pPr = def ? child(def.el, 'w:pPr') : undefined;
      const lvl = Number(child(pPr, 'w:outlineLvl')?.attrs['w:val'] ?? Number.NaN);
      if (role.heading === undefined && !role.title && !role.subtitle && lvl >= 0 && lvl <= 5)
        role.heading = lvl + 1;
      const numPr = child(pPr, 'w:numPr');
      if (numPr && !numberingSeen) {
        numberingSeen = true;
        const numId = child(numPr, 'w:numId')?.attrs['w:val'];
        const ilvl = Number(child(numPr, 'w:ilvl')?.attrs['w:val'] ?? 0);
        if (numId !== undefined) role.numbering = { numId, ilvl: Number.isFinite(ilvl) ? ilvl : 0 };
      }
      id = def?.basedOn;
    }
    this.roleCache.set(styleId, role);
    return role;
  }

  /** Marks implied by a character style id (following basedOn; nearer styles win). */
  runMarks(styleId: string | undefined): RunMarks {
    if (styleId === undefined) return {};
    const cached = this.marksCache.get(styleId);
    if (cached) return cached;
    const chain: StyleDef[] = [];
    const seen = new Set<string>();
    let id: string | undefined = styleId;
    while (id !== undefined && !seen.has(id) && seen.size < 32) {
      seen.add(id);
      const def = this.byId.get(id);
      if (!def) break;
      chain.push(def);
      id = def.basedOn;
    }
    const marks: RunMarks = {};
    for (const def of chain.reverse()) {
      // The hyperlink styles' underline and colour are how links look, not marks of the text.
      if (linkStyleNames.has(def.name)) continue;
      Object.assign(marks, marksOfRunProps(child(def.el, 'w:rPr')));
      if (codeRunNames.has(def.name)) marks.code = true;
    }
    if (chain.length === 0 && codeRunNames.has(styleId.toLowerCase())) marks.code = true;
    this.marksCache.set(styleId, marks);
    return marks;
  }
}

function classifyName(name: string, role: ParagraphRole): void {
  const heading = /^heading ([1-6])$/.exec(name);
  if (heading) role.heading = Number(heading[1]);
  else if (name === 'title') role.title = true;
  else if (name === 'subtitle') role.subtitle = true;
  else if (quoteNames.has(name)) role.quote = true;
  else if (codeParagraphNames.has(name)) role.code = true;
}
