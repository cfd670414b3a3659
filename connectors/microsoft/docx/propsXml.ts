/**
 * Rebuilding `w:pPr`/`w:rPr`/`w:tcPr` from an original element: keep its children, replace or drop the ones
 * the writer controls, and emit them in the order the OOXML schema requires (Word repairs files otherwise).
 */
import { standardDocumentNamespaces } from './ooxmlNames.ts';
import { prefixDeclarations } from './xmlText.ts';
import { elements, parseXml, type XmlElement } from './xmlTree.ts';

/** One child of a properties element: canonical name, parsed element, and its original XML. */
export interface PropChild {
  name: string;
  el?: XmlElement;
  xml: string;
}

/** Child order of CT_PPr. */
export const pPrOrder = [
  'w:pStyle',
  'w:keepNext',
  'w:keepLines',
  'w:pageBreakBefore',
  'w:framePr',
  'w:widowControl',
  'w:numPr',
  'w:suppressLineNumbers',
  'w:pBdr',
  'w:shd',
  'w:tabs',
  'w:suppressAutoHyphens',
  'w:kinsoku',
  'w:wordWrap',
  'w:overflowPunct',
  'w:topLinePunct',
  'w:autoSpaceDE',
  'w:autoSpaceDN',
  'w:bidi',
  'w:adjustRightInd',
  'w:snapToGrid',
  'w:spacing',
  'w:ind',
  'w:contextualSpacing',
  'w:mirrorIndents',
  'w:suppressOverlap',
  'w:jc',
  'w:textDirection',
  'w:textAlignment',
  'w:textboxTightWrap',
  'w:outlineLvl',
  'w:divId',
  'w:cnfStyle',
  'w:rPr',
  'w:sectPr',
  'w:pPrChange',
];

/** Child order of CT_RPr. */
export const rPrOrder = [
  'w:rStyle',
  'w:rFonts',
  'w:b',
  'w:bCs',
  'w:i',
  'w:iCs',
  'w:caps',
  'w:smallCaps',
  'w:strike',
  'w:dstrike',
  'w:outline',
  'w:shadow',
  'w:emboss',
  'w:imprint',
  'w:noProof',
  'w:snapToGrid',
  'w:vanish',
  'w:webHidden',
  'w:color',
  'w:spacing',
  'w:w',
  'w:kern',
  'w:position',
  'w:sz',
  'w:szCs',
  'w:highlight',
  'w:u',
  'w:effect',
  'w:bdr',
  'w:shd',
  'w:fitText',
  'w:vertAlign',
  'w:rtl',
  'w:cs',
  'w:em',
  'w:lang',
  'w:eastAsianLayout',
  'w:specVanish',
  'w:oMath',
  'w:rPrChange',
];

/** Child order of CT_TcPr. */
export const tcPrOrder = [
  'w:cnfStyle',
  'w:tcW',
  'w:gridSpan',
  'w:hMerge',
  'w:vMerge',
  'w:tcBorders',
  'w:shd',
  'w:noWrap',
  'w:tcMar',
  'w:textDirection',
  'w:tcFitText',
  'w:vAlign',
  'w:hideMark',
  'w:headers',
  'w:cellIns',
  'w:cellDel',
  'w:cellMerge',
  'w:tcPrChange',
];

/** Child order of CT_TrPr (all optional, any order is tolerated by Word, but keep the usual one). */
export const trPrOrder = [
  'w:cnfStyle',
  'w:divId',
  'w:gridBefore',
  'w:gridAfter',
  'w:wBefore',
  'w:wAfter',
  'w:cantSplit',
  'w:trHeight',
  'w:tblHeader',
  'w:tblCellSpacing',
  'w:jc',
  'w:hidden',
  'w:ins',
  'w:del',
  'w:trPrChange',
];

/** The children of an original properties element (`xml` as sliced from its part; `ns` = root declarations). */
export function propChildren(xml: string | undefined, ns: Record<string, string>): PropChild[] {
  if (!xml) return [];
  const decls = prefixDeclarations({ ...standardDocumentNamespaces, ...ns });
  const wrapped = `<x${decls}>${xml}</x>`;
  const parsed = parseXml(wrapped, 'properties');
  const el = elements(parsed.root)[0];
  if (!el) return [];
  return elements(el).map((c) => ({ name: c.name, el: c, xml: wrapped.slice(c.start, c.end) }));
}

/**
 * Serialises `<tag>` with `children` minus those named in `drop`, plus `add` (by name), sorted by `order`
 * (unknown names keep their place after the known ones). Returns '' when nothing is left.
 */
export function buildProps(
  tag: string,
  children: PropChild[],
  drop: Iterable<string>,
  add: Record<string, string | undefined>,
  order: string[],
): string {
  const dropped = new Set(drop);
  for (const name of Object.keys(add)) dropped.add(name);
  const kept = children.filter((c) => !dropped.has(c.name));
  for (const [name, xml] of Object.entries(add)) if (xml) kept.push({ name, xml });
  const rank = (n: string) => {
    const i = order.indexOf(n);
    return i < 0 ? order.length : i;
  };
  const sorted = kept.map((c, i) => ({ c, i })).sort((a, b) => rank(a.c.name) - rank(b.c.name) || a.i - b.i);
  if (sorted.length === 0) return '';
  return `<${tag}>${sorted.map((s) => s.c.xml).join('')}</${tag}>`;
}
