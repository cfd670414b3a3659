/**
 * Writes schema inline content as WordprocessingML runs: marks become run properties (on top of the
 * paragraph's original base formatting), links become `w:hyperlink`, images become inline drawings, docx atoms
 * are put back as their original XML, and atoms from other formats are written as their label.
 */

import { escapeXmlAttr, escapeXmlText } from '../../formats/safeXml.ts';
import { schema } from '../../model/schema.ts';
import { buildProps, type PropChild, rPrOrder } from './propsXml.ts';
import { isMonospaceFont } from './styleSheet.ts';
import type { Json } from './types.ts';
import { payloadWritable, type WriteContext } from './writeContext.ts';
import { imageRun } from './writeImage.ts';

/** Run properties that carry over from a paragraph's original first run into regenerated runs. */
const inheritedRunProps = new Set([
  'w:rFonts',
  'w:color',
  'w:sz',
  'w:szCs',
  'w:lang',
  'w:kern',
  'w:rtl',
  'w:cs',
  'w:eastAsianLayout',
]);

/** The base run properties kept from an original run (fonts, colour, size, language; never marks). */
export function baseRunProps(children: PropChild[]): PropChild[] {
  return children.filter((c) => {
    if (!inheritedRunProps.has(c.name)) return false;
    if (c.name === 'w:rFonts') return !isMonospaceFont(c.el?.attrs['w:ascii'] ?? c.el?.attrs['w:hAnsi']);
    return true;
  });
}

function rPrFor(marks: Json['marks'], base: PropChild[], ctx: WriteContext): string {
  const add: Record<string, string | undefined> = {};
  for (const m of marks ?? []) {
    if (m.type === 'bold') add['w:b'] = '<w:b/>';
    else if (m.type === 'italic') add['w:i'] = '<w:i/>';
    else if (m.type === 'underline') add['w:u'] = '<w:u w:val="single"/>';
    else if (m.type === 'strike') add['w:strike'] = '<w:strike/>';
    else if (m.type === 'code')
      add['w:rFonts'] = '<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New"/>';
    else if (m.type === 'link')
      add['w:rStyle'] = `<w:rStyle w:val="${escapeXmlAttr(ctx.pkg.styleId('hyperlink'))}"/>`;
  }
  return buildProps('w:rPr', base, [], add, rPrOrder);
}

/** Run content for a text: tabs and line feeds become `w:tab` and `w:br`. */
function textContent(text: string): string {
  let out = '';
  for (const part of text.split(/(\t|\n)/)) {
    if (part === '\t') out += '<w:tab/>';
    else if (part === '\n') out += '<w:br/>';
    else if (part !== '') out += `<w:t xml:space="preserve">${escapeXmlText(part)}</w:t>`;
  }
  return out;
}

function linkHref(node: Json): string | undefined {
  const link = node.marks?.find((m) => m.type === 'link');
  const href = link?.attrs?.href;
  return typeof href === 'string' && href !== '' ? href : undefined;
}

/** Link attributes as readDocx gives them back: the schema defaults, since `w:hyperlink` keeps only the href. */
const linkAttrsReadBack: Record<string, unknown> = schema.marks.link?.create({ href: '' }).attrs ?? {};

/** Warns when a link carries a target, rel, class or title that Word will not give back (they are not written). */
function warnLinkAttrs(node: Json, ctx: WriteContext): void {
  const attrs = node.marks?.find((m) => m.type === 'link')?.attrs ?? {};
  if (['target', 'rel', 'class', 'title'].some((k) => (attrs[k] ?? null) !== linkAttrsReadBack[k])) {
    ctx.warnings.add(
      'DOCX_LINK_ATTRS_LOST',
      'Link targets, rel, class and titles are not written (a Word hyperlink keeps only its address)',
    );
  }
}

function writeNode(node: Json, base: PropChild[], ctx: WriteContext): string {
  switch (node.type) {
    case 'text':
      return `<w:r>${rPrFor(node.marks, base, ctx)}${textContent(node.text ?? '')}</w:r>`;
    case 'hardBreak':
      return '<w:r><w:br/></w:r>';
    case 'image':
      return imageRun(node, ctx);
    case 'note':
      return ctx.notes.reference(node, ctx);
    case 'atomInline': {
      const a = (node.attrs ?? {}) as Record<string, string>;
      if (a.source === 'docx' && a.payload && payloadWritable(a, ctx)) return a.payload;
      // Page breaks from ODF or Google Docs are Word page breaks too.
      if (a.source !== 'docx' && a.kind === 'pageBreak') return '<w:r><w:br w:type="page"/></w:r>';
      if (a.source !== 'docx') {
        ctx.warnings.add(
          'DOCX_FOREIGN_ATOM_AS_TEXT',
          `An atom from ${a.source || 'another format'} was written as its label`,
        );
      }
      return a.label ? `<w:r>${textContent(a.label)}</w:r>` : '';
    }
    default:
      ctx.warnings.add('DOCX_UNKNOWN_INLINE', `Inline node ${node.type} was not written`);
      return '';
  }
}

/** Writes inline `nodes`; `base` is the original paragraph's base run formatting. */
export function writeInline(nodes: Json[], base: PropChild[], ctx: WriteContext): string {
  let out = '';
  let i = 0;
  while (i < nodes.length) {
    const href = linkHref(nodes[i] as Json);
    if (href === undefined) {
      out += writeNode(nodes[i] as Json, base, ctx);
      i += 1;
      continue;
    }
    let inner = '';
    while (i < nodes.length && linkHref(nodes[i] as Json) === href) {
      warnLinkAttrs(nodes[i] as Json, ctx);
      inner += writeNode(nodes[i++] as Json, base, ctx);
    }
    const hash = href.indexOf('#');
    if (hash === 0) out += `<w:hyperlink w:anchor="${escapeXmlAttr(href.slice(1))}">${inner}</w:hyperlink>`;
    else out += `<w:hyperlink r:id="${ctx.pkg.hyperlink(href)}" w:history="1">${inner}</w:hyperlink>`;
  }
  return out;
}
