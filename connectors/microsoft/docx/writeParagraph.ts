/**
 * Writes one paragraph-like block (paragraph, heading, Title, Subtitle, list or quote paragraph, code block,
 * horizontal rule), reusing the original paragraph's properties when it had one: every `w:pPr` child is kept
 * except the style, numbering and outline level, which the new block's role decides (the original style is
 * kept when it plays the same role, so a custom body or heading style survives an edit).
 */

import { escapeXmlAttr, escapeXmlText } from '../../formats/safeXml.ts';
import type { StyleRole } from './packageTemplate.ts';
import { buildProps, pPrOrder, propChildren } from './propsXml.ts';
import type { ParagraphRole } from './styleSheet.ts';
import type { Json, SourceParagraph } from './types.ts';
import type { WriteContext } from './writeContext.ts';
import { baseRunProps, writeInline } from './writeInline.ts';

/** Where a paragraph sits: a list item (`numId` '0' = continuation paragraph) or a quote. */
export interface ParagraphPlace {
  list?: { numId: string; ilvl: number };
  quote?: boolean;
}

function roleKey(r: ParagraphRole): string {
  if (r.title) return 'title';
  if (r.subtitle) return 'subtitle';
  if (r.heading) return `heading${r.heading}`;
  if (r.quote) return 'quote';
  if (r.code) return 'code';
  return '';
}

function wantedRole(node: Json, place: ParagraphPlace): string {
  const attrs = (node.attrs ?? {}) as Record<string, unknown>;
  if (node.type === 'heading') return attrs.blockStyle === 'title' ? 'title' : `heading${attrs.level ?? 1}`;
  if (node.type === 'codeBlock') return 'code';
  if (attrs.blockStyle === 'subtitle') return 'subtitle';
  if (place.quote) return 'quote';
  return '';
}

/** Writes a paragraph-like block; `src` is the original paragraph it replaces, if any. */
export function writeParagraph(
  node: Json,
  src: SourceParagraph | undefined,
  place: ParagraphPlace,
  ctx: WriteContext,
): string {
  const children = propChildren(src?.pPr, ctx.rootNamespaces);
  const role = wantedRole(node, place);
  const add: Record<string, string | undefined> = {};
  const original = src?.styleId !== undefined ? ctx.pkg.styles.paragraphRole(src.styleId) : undefined;
  const keepStyle =
    original !== undefined && roleKey(original) === role && (!original.numbering || place.list !== undefined);
  let styleId: string | undefined;
  if (keepStyle) styleId = src?.styleId;
  else if (role !== '') styleId = ctx.pkg.styleId(role as StyleRole);
  else if (place.list) styleId = ctx.pkg.styleId('listParagraph');
  if (styleId !== undefined) add['w:pStyle'] = `<w:pStyle w:val="${escapeXmlAttr(styleId)}"/>`;
  if (place.list) {
    add['w:numPr'] =
      `<w:numPr><w:ilvl w:val="${place.list.ilvl}"/><w:numId w:val="${escapeXmlAttr(place.list.numId)}"/></w:numPr>`;
  }
  const drop = ['w:pStyle', 'w:numPr', 'w:outlineLvl'];
  const empty = !node.content || node.content.length === 0;
  if (node.type === 'horizontalRule') {
    add['w:pBdr'] = '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>';
  } else if (empty) drop.push('w:pBdr');
  const pPr = buildProps('w:pPr', children, drop, add, pPrOrder);
  const runBase = baseRunProps(propChildren(src?.rPr, ctx.rootNamespaces));
  let body = '';
  if (node.type === 'codeBlock') {
    if (node.attrs?.language)
      ctx.warnings.add('DOCX_CODE_LANGUAGE_LOST', 'Code block languages are not written to Word');
    const text = (node.content ?? []).map((t) => t.text ?? '').join('');
    body =
      text === ''
        ? ''
        : `<w:r>${text
            .split('\n')
            .map((line, i) => `${i ? '<w:br/>' : ''}${line ? codeText(line) : ''}`)
            .join('')}</w:r>`;
  } else if (node.type !== 'horizontalRule') body = writeInline(node.content ?? [], runBase, ctx);
  return `<w:p>${pPr}${body}</w:p>`;
}

function codeText(line: string): string {
  return line
    .split('\t')
    .map(
      (part, i) =>
        `${i ? '<w:tab/>' : ''}${part ? `<w:t xml:space="preserve">${escapeXmlText(part)}</w:t>` : ''}`,
    )
    .join('');
}
