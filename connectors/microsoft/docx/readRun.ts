/**
 * Reads one `w:r` (run) into schema inline nodes: text with marks, tabs, hard breaks, inline images, and
 * atoms for what the schema lacks (page breaks, note references, comment references, symbols, drawings).
 */

import { roman } from '../../model/notes.ts';
import { inlineAtom, type ReadContext, slice } from './readContext.ts';
import { imageOrDrawing } from './readDrawing.ts';
import { readInline } from './readInline.ts';
import { readNote } from './readNotes.ts';
import { marksOfRunProps, type RunMarks } from './styleSheet.ts';
import type { Json } from './types.ts';
import { child, elements, type XmlElement } from './xmlTree.ts';

/** A schema mark as JSON. */
export interface MarkJson {
  type: string;
  attrs?: Record<string, unknown>;
}

/** The schema marks of a run: its character style's marks overridden by direct formatting, plus `link`. */
export function runMarks(r: XmlElement, ctx: ReadContext, link: MarkJson | undefined): MarkJson[] {
  const rPr = child(r, 'w:rPr');
  const styleId = child(rPr, 'w:rStyle')?.attrs['w:val'];
  const m: RunMarks = { ...ctx.styles.runMarks(styleId), ...marksOfRunProps(rPr) };
  if (m.code) {
    if (m.bold || m.italic || m.underline || m.strike || link) {
      ctx.warnings.add(
        'DOCX_CODE_EXCLUDES_MARKS',
        'Inline code cannot also be bold, italic, struck or linked',
      );
    }
    return [{ type: 'code' }];
  }
  const marks: MarkJson[] = [];
  if (m.bold) marks.push({ type: 'bold' });
  if (m.italic) marks.push({ type: 'italic' });
  if (m.underline) marks.push({ type: 'underline' });
  if (m.strike) marks.push({ type: 'strike' });
  if (link) marks.push(link);
  return marks;
}

const ignoredRunChildren = new Set([
  'w:rPr',
  'w:lastRenderedPageBreak',
  'w:annotationRef',
  'w:footnoteRef',
  'w:endnoteRef',
  'w:separator',
  'w:continuationSeparator',
]);

/** XML of the run reduced to one of its children (keeping the run's properties), or the run itself. */
function runPayload(r: XmlElement, rc: XmlElement, ctx: ReadContext): string {
  const content = elements(r).filter((e) => e.name !== 'w:rPr');
  if (content.length === 1) return slice(ctx, r);
  const rPr = child(r, 'w:rPr');
  return `<w:r>${rPr ? slice(ctx, rPr) : ''}${slice(ctx, rc)}</w:r>`;
}

/** Appends the inline nodes of run `r` to `out`. */
export function readRun(r: XmlElement, ctx: ReadContext, link: MarkJson | undefined, out: Json[]): void {
  const marks = runMarks(r, ctx, link);
  const text = (t: string) => {
    if (t === '') return;
    const node: Json = { type: 'text', text: t };
    if (marks.length) node.marks = marks;
    out.push(node);
  };
  for (const rc of r.children) {
    if (typeof rc === 'string' || ignoredRunChildren.has(rc.name)) continue;
    switch (rc.name) {
      case 'w:t':
        text(rc.children.filter((c) => typeof c === 'string').join(''));
        break;
      case 'w:tab':
      case 'w:ptab':
        text('\t');
        break;
      case 'w:noBreakHyphen':
        text('\u2011');
        break;
      case 'w:softHyphen':
        text('\u00ad');
        break;
      case 'w:cr':
        out.push({ type: 'hardBreak' });
        break;
      case 'w:br': {
        const type = rc.attrs['w:type'];
        if (type === 'page' || type === 'column') {
          out.push(inlineAtom(`${type}Break`, '', runPayload(r, rc, ctx), ctx));
        } else out.push({ type: 'hardBreak' });
        break;
      }
      case 'w:drawing':
        out.push(imageOrDrawing(rc, runPayload(r, rc, ctx), ctx, link));
        break;
      case 'w:footnoteReference':
      case 'w:endnoteReference': {
        const isFoot = rc.name === 'w:footnoteReference';
        const n = isFoot ? ++ctx.notes.footnote : ++ctx.notes.endnote;
        const kind = isFoot ? 'footnote' : 'endnote';
        const note = readNote(kind, rc, runPayload(r, rc, ctx), ctx, (p, noteCtx, inline) =>
          readInline(p, noteCtx, undefined, inline),
        );
        // A reference whose note the package lacks stays an atom, written back as it was.
        const label = rc.attrs['w:customMarkFollows'] ? '' : isFoot ? String(n) : roman(n);
        out.push(note ?? inlineAtom(kind, label, runPayload(r, rc, ctx), ctx));
        break;
      }
      case 'w:commentReference':
        out.push(inlineAtom('comment', '', runPayload(r, rc, ctx), ctx));
        break;
      case 'w:sym': {
        const code = Number.parseInt(rc.attrs['w:char'] ?? '', 16);
        const label = Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : '';
        out.push(inlineAtom('symbol', label, runPayload(r, rc, ctx), ctx));
        break;
      }
      default: {
        const kind = rc.name === 'w:pict' || rc.name === 'mc:AlternateContent' ? 'drawing' : 'unknown';
        if (kind === 'unknown')
          ctx.warnings.add('DOCX_UNKNOWN_RUN_CONTENT', `Kept ${rc.name} as an opaque atom`);
        out.push(inlineAtom(kindOf(rc, kind), labelOf(rc), runPayload(r, rc, ctx), ctx));
      }
    }
  }
}

function kindOf(rc: XmlElement, fallback: string): string {
  if (rc.name === 'w:object') return 'object';
  return hasDescendant(rc, 'w:txbxContent') ? 'textBox' : fallback;
}

function hasDescendant(el: XmlElement, name: string): boolean {
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (c.name === name || hasDescendant(c, name)) return true;
  }
  return false;
}

function labelOf(rc: XmlElement): string {
  // Text boxes: the text of the first txbxContent only (mc:Choice and mc:Fallback repeat it).
  const stack: XmlElement[] = [rc];
  while (stack.length) {
    const el = stack.shift() as XmlElement;
    if (el.name === 'w:txbxContent') return txbxText(el);
    for (const c of el.children) if (typeof c !== 'string') stack.push(c);
  }
  return '';
}

function txbxText(el: XmlElement): string {
  const lines: string[] = [];
  for (const p of elements(el)) {
    let line = '';
    const walk = (e: XmlElement) => {
      for (const c of e.children) {
        if (typeof c === 'string') {
          if (e.name === 'w:t') line += c;
        } else if (c.name !== 'w:del' && c.name !== 'w:instrText') walk(c);
      }
    };
    walk(p);
    lines.push(line);
  }
  return lines.join('\n');
}
