/**
 * Reads the content of a paragraph (or of a hyperlink inside it) into schema inline nodes. Runs go to
 * readRun; hyperlinks become `link` marks; everything the schema lacks (fields, bookmarks, comment anchors,
 * tracked changes, content controls, equations) becomes an `atomInline` carrying its original XML.
 */
import { inlineAtom, type ReadContext, slice, visibleText } from './readContext.ts';
import { type MarkJson, readRun } from './readRun.ts';
import type { Json } from './types.ts';
import { descendants, type XmlElement } from './xmlTree.ts';

interface OpenField {
  depth: number;
  xml: string;
  label: string;
}

/** Net change of complex-field nesting (`fldChar` begin minus end) inside `el`. */
export function fieldDepthChange(el: XmlElement): number {
  let d = 0;
  for (const f of el.name === 'w:fldChar' ? [el] : descendants(el, 'w:fldChar')) {
    const t = f.attrs['w:fldCharType'];
    if (t === 'begin') d += 1;
    else if (t === 'end') d -= 1;
  }
  return d;
}

function linkOf(h: XmlElement, ctx: ReadContext): MarkJson | undefined {
  const id = h.attrs['r:id'];
  const rel = id ? ctx.rels.byId.get(id) : undefined;
  let href: string | undefined = rel?.target;
  if (href !== undefined && h.attrs['w:anchor']) href += `#${h.attrs['w:anchor']}`;
  if (href === undefined && h.attrs['w:anchor']) href = `#${h.attrs['w:anchor']}`;
  if (href === undefined) {
    ctx.warnings.add('DOCX_LINK_TARGET_MISSING', 'A hyperlink without a target was read as plain text');
    return undefined;
  }
  if (h.attrs['w:tooltip'] || h.attrs['w:tgtFrame']) {
    ctx.warnings.add(
      'DOCX_LINK_ATTRS_LOST',
      'Hyperlink tooltips and target frames are not read (kept only while their paragraph is unchanged)',
    );
  }
  return { type: 'link', attrs: { href } };
}

const skipped = new Set(['w:pPr', 'w:proofErr', 'w:rsid']);
const unwrapped = new Set(['w:smartTag', 'w:customXml', 'w:dir', 'w:bdo']);

/** Appends the inline nodes of container `el` (a `w:p`, `w:hyperlink`...) to `out`. */
export function readInline(el: XmlElement, ctx: ReadContext, link: MarkJson | undefined, out: Json[]): void {
  let field: OpenField | undefined;
  const kids = el.children;
  for (let i = 0; i < kids.length; i++) {
    const c = kids[i];
    if (c === undefined || typeof c === 'string' || skipped.has(c.name)) continue;
    if (field || (c.name === 'w:r' && descendants(c, 'w:fldChar').length > 0)) {
      field ??= { depth: 0, xml: '', label: '' };
      field.depth += fieldDepthChange(c);
      field.xml += slice(ctx, c);
      field.label += visibleText(c);
      if (field.depth <= 0) {
        out.push(inlineAtom('field', field.label, field.xml, ctx));
        field = undefined;
      }
      continue;
    }
    switch (c.name) {
      case 'w:r':
        readRun(c, ctx, link, out);
        break;
      case 'w:hyperlink':
        readInline(c, ctx, linkOf(c, ctx) ?? link, out);
        break;
      case 'w:bookmarkStart': {
        const next = kids[i + 1];
        if (
          next &&
          typeof next !== 'string' &&
          next.name === 'w:bookmarkEnd' &&
          next.attrs['w:id'] === c.attrs['w:id']
        ) {
          out.push(inlineAtom('bookmark', '', slice(ctx, c) + slice(ctx, next), ctx));
          i += 1;
        } else out.push(inlineAtom('bookmarkStart', '', slice(ctx, c), ctx));
        break;
      }
      case 'w:bookmarkEnd':
        out.push(inlineAtom('bookmarkEnd', '', slice(ctx, c), ctx));
        break;
      case 'w:commentRangeStart':
      case 'w:commentRangeEnd':
        out.push(
          inlineAtom(
            c.name === 'w:commentRangeStart' ? 'commentStart' : 'commentEnd',
            '',
            slice(ctx, c),
            ctx,
          ),
        );
        break;
      case 'w:ins':
      case 'w:moveTo':
        out.push(inlineAtom('insertion', visibleText(c), slice(ctx, c), ctx));
        break;
      case 'w:del':
      case 'w:moveFrom':
        // A tracked deletion is not current text: its label stays empty so no format ever shows it as text.
        out.push(inlineAtom('deletion', '', slice(ctx, c), ctx));
        break;
      case 'w:fldSimple':
        out.push(inlineAtom('field', visibleText(c), slice(ctx, c), ctx));
        break;
      case 'w:sdt':
        out.push(inlineAtom('contentControl', visibleText(c), slice(ctx, c), ctx));
        break;
      case 'm:oMath':
      case 'm:oMathPara':
        out.push(inlineAtom('equation', visibleText(c), slice(ctx, c), ctx));
        break;
      default:
        if (unwrapped.has(c.name)) {
          if (c.name !== 'w:dir' && c.name !== 'w:bdo') {
            ctx.warnings.add('DOCX_INLINE_TAG_UNWRAPPED', `${c.name} tags are read as their content`);
          }
          readInline(c, ctx, link, out);
        } else {
          out.push(inlineAtom(atomKind(c.name), '', slice(ctx, c), ctx));
        }
    }
  }
  if (field) out.push(inlineAtom('field', field.label, field.xml, ctx));
}

function atomKind(name: string): string {
  if (name === 'w:permStart' || name === 'w:permEnd') return 'permission';
  if (name.endsWith('RangeStart') || name.endsWith('RangeEnd')) return 'rangeMark';
  return 'unknown';
}
