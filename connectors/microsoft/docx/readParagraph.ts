/**
 * Classifies one `w:p`: heading (by style, through `w:basedOn`), Title, Subtitle, list item (direct or
 * style numbering resolved in numbering.xml), code block, quote, horizontal rule or plain paragraph.
 */
import { isBulletFormat, orderedTypeOf } from './numberingDefs.ts';
import { type ReadContext, slice } from './readContext.ts';
import { readInline } from './readInline.ts';
import type { Json, SourceParagraph } from './types.ts';
import { child, elements, type XmlElement } from './xmlTree.ts';

/** A paragraph read, before grouping into lists and quotes. */
export interface ParagraphUnit {
  node: Json;
  para: SourceParagraph;
  /** Set for list items. */
  list?: { numId: string; ilvl: number; ordered: boolean; start: number; type: string | null };
  /** Set for `numId=0` paragraphs with a level: a later paragraph of the preceding list item. */
  continuation?: number;
  quote: boolean;
}

function advanceCounter(ctx: ReadContext, numId: string, ilvl: number): number {
  let counts = ctx.counters.get(numId);
  if (!counts) {
    counts = new Array(10).fill(0);
    ctx.counters.set(numId, counts);
  }
  counts[ilvl] = (counts[ilvl] ?? 0) + 1;
  for (let l = ilvl + 1; l < counts.length; l++) counts[l] = 0;
  return counts[ilvl] ?? 1;
}

/** Reads paragraph `p` into a unit. */
export function readParagraph(p: XmlElement, ctx: ReadContext): ParagraphUnit {
  const pPr = child(p, 'w:pPr');
  const styleId = child(pPr, 'w:pStyle')?.attrs['w:val'];
  const role = ctx.styles.paragraphRole(styleId);
  const para: SourceParagraph = {};
  if (pPr) para.pPr = slice(ctx, pPr);
  if (styleId !== undefined) para.styleId = styleId;
  const firstRunProps = elements(p, 'w:r').map((r) => child(r, 'w:rPr'))[0];
  if (firstRunProps) para.rPr = slice(ctx, firstRunProps);

  const content: Json[] = [];
  readInline(p, ctx, undefined, content);

  const numPr = child(pPr, 'w:numPr');
  const directNumId = child(numPr, 'w:numId')?.attrs['w:val'];
  const directIlvl = child(numPr, 'w:ilvl')?.attrs['w:val'];
  let numbering: { numId: string; ilvl: number } | undefined;
  let continuation: number | undefined;
  if (directNumId === '0') {
    if (directIlvl !== undefined) continuation = Number(directIlvl) || 0;
  } else if (directNumId !== undefined) {
    numbering = { numId: directNumId, ilvl: Number(directIlvl ?? role.numbering?.ilvl ?? 0) || 0 };
  } else if (role.numbering && role.numbering.numId !== '0') {
    numbering = {
      numId: role.numbering.numId,
      ilvl: directIlvl !== undefined ? Number(directIlvl) || 0 : role.numbering.ilvl,
    };
  }
  if (numbering) numbering.ilvl = Math.min(8, Math.max(0, numbering.ilvl));
  const level = numbering ? ctx.numbering.level(numbering.numId, numbering.ilvl) : undefined;
  const count = numbering && level ? advanceCounter(ctx, numbering.numId, numbering.ilvl) : 0;

  const unit: ParagraphUnit = { node: { type: 'paragraph' }, para, quote: false };
  const withContent = (node: Json): Json => (content.length ? { ...node, content } : node);
  if (role.title) unit.node = withContent({ type: 'heading', attrs: { level: 1, blockStyle: 'title' } });
  else if (role.subtitle) unit.node = withContent({ type: 'paragraph', attrs: { blockStyle: 'subtitle' } });
  else if (role.heading) unit.node = withContent({ type: 'heading', attrs: { level: role.heading } });
  else if (numbering && level) {
    unit.node = withContent({ type: 'paragraph' });
    const ordered = !isBulletFormat(level.format);
    unit.list = {
      numId: numbering.numId,
      ilvl: numbering.ilvl,
      ordered,
      start: level.start + count - 1,
      type: orderedTypeOf(level.format),
    };
  } else if (role.code && content.every((n) => n.type === 'text' || n.type === 'hardBreak')) {
    const text = content.map((n) => (n.type === 'text' ? n.text : '\n')).join('');
    if (content.some((n) => n.marks?.length)) {
      ctx.warnings.add('DOCX_CODE_BLOCK_MARKS', 'Formatting inside a code paragraph was dropped');
    }
    unit.node = text ? { type: 'codeBlock', content: [{ type: 'text', text }] } : { type: 'codeBlock' };
  } else if (content.length === 0 && child(child(pPr, 'w:pBdr'), 'w:bottom')) {
    unit.node = { type: 'horizontalRule' };
  } else {
    unit.node = withContent({ type: 'paragraph' });
    if (continuation !== undefined) unit.continuation = continuation;
    unit.quote = role.quote === true;
  }
  return unit;
}
