/**
 * Reads the children of a block container (`w:body` or a `w:tc`) into schema blocks and, beside them, the
 * SourceBlocks a later patch needs: each block's verbatim XML (from the end of the previous block, so the
 * concatenation of all slices plus head and tail is the original text exactly). Consecutive list paragraphs
 * become one nested list, consecutive quote paragraphs one blockquote; a complex field spanning paragraphs
 * (a table of contents) becomes one atomBlock.
 */

import { blockAtom, type ReadContext, visibleText } from './readContext.ts';
import { fieldDepthChange } from './readInline.ts';
import { type ParagraphUnit, readParagraph } from './readParagraph.ts';
import { readTable } from './readTable.ts';
import type { Json, SourceBlock, SourceItem } from './types.ts';
import type { XmlElement } from './xmlTree.ts';

/** Blocks read from a container, their sources (hash filled later), and where the content ends. */
export interface ReadBlocks {
  blocks: Json[];
  sources: SourceBlock[];
  /** Offset just after the last block; the text from there on is the container's tail. */
  end: number;
}

const fillers = new Set([
  'w:bookmarkStart',
  'w:bookmarkEnd',
  'w:commentRangeStart',
  'w:commentRangeEnd',
  'w:proofErr',
  'w:permStart',
  'w:permEnd',
  'w:moveFromRangeStart',
  'w:moveFromRangeEnd',
  'w:moveToRangeStart',
  'w:moveToRangeEnd',
  'w:sectPr',
  'w:tcPr',
  'w:tblPrEx',
]);

type Unit =
  | { xml: string; para: ParagraphUnit }
  | { xml: string; block: Json; source: Omit<SourceBlock, 'hash'> };

/** Reads `children` of a container whose content starts at offset `from`. */
export function readBlocks(children: XmlElement[], from: number, ctx: ReadContext): ReadBlocks {
  const units: Unit[] = [];
  let prevEnd = from;
  const text = ctx.doc.text;
  for (let i = 0; i < children.length; i++) {
    const el = children[i] as XmlElement;
    if (fillers.has(el.name)) continue;
    if (el.name === 'w:p') {
      const depth = fieldDepthChange(el);
      if (depth > 0) {
        // A field spanning paragraphs: keep everything up to its end as one opaque block.
        let d = depth;
        let j = i;
        const labels = [visibleText(el)];
        while (d > 0 && j + 1 < children.length) {
          j += 1;
          const next = children[j] as XmlElement;
          d += fieldDepthChange(next);
          labels.push(visibleText(next));
        }
        const last = children[j] as XmlElement;
        const payload = text.slice(el.start, last.end);
        units.push({
          xml: text.slice(prevEnd, last.end),
          block: blockAtom('field', labels.join('\n'), payload, ctx),
          source: { kind: 'other', xml: '' },
        });
        prevEnd = last.end;
        i = j;
        continue;
      }
      units.push({ xml: text.slice(prevEnd, el.end), para: readParagraph(el, ctx) });
    } else if (el.name === 'w:tbl') {
      const { node, table } = readTable(el, ctx);
      units.push({
        xml: text.slice(prevEnd, el.end),
        block: node,
        source: { kind: 'table', xml: '', table },
      });
    } else {
      const kind =
        el.name === 'w:sdt' ? 'contentControl' : el.name === 'm:oMathPara' ? 'equation' : 'unknown';
      if (kind === 'unknown')
        ctx.warnings.add('DOCX_UNKNOWN_BLOCK', `Kept body element ${el.name} as an opaque block`);
      const block = blockAtom(kind, visibleText(el), text.slice(el.start, el.end), ctx);
      units.push({ xml: text.slice(prevEnd, el.end), block, source: { kind: 'other', xml: '' } });
    }
    prevEnd = el.end;
  }
  return { ...group(units, ctx), end: prevEnd };
}

function group(units: Unit[], ctx: ReadContext): { blocks: Json[]; sources: SourceBlock[] } {
  const blocks: Json[] = [];
  const sources: SourceBlock[] = [];
  for (let i = 0; i < units.length; i++) {
    const u = units[i] as Unit;
    if (!('para' in u)) {
      blocks.push(u.block);
      sources.push({ ...u.source, xml: u.xml, hash: '' });
      continue;
    }
    const p = u.para;
    if (p.list || p.quote) {
      let j = i + 1;
      const sameGroup = (n: Unit | undefined): n is { xml: string; para: ParagraphUnit } => {
        if (!n || !('para' in n)) return false;
        if (p.quote) return n.para.quote;
        const l = n.para.list;
        if (n.para.continuation !== undefined) return true;
        if (!l || !p.list) return false;
        // A top-level paragraph of another list instance or kind starts a new list.
        return l.ilvl > p.list.ilvl || (l.numId === p.list.numId && l.ordered === p.list.ordered);
      };
      const members: { xml: string; para: ParagraphUnit }[] = [u];
      while (sameGroup(units[j])) members.push(units[j++] as { xml: string; para: ParagraphUnit });
      i = j - 1;
      const items: SourceItem[] = members.map((m) => {
        const item: SourceItem = { hash: '', xml: m.xml, para: m.para.para };
        if (m.para.list) item.numId = m.para.list.numId;
        return item;
      });
      const xml = members.map((m) => m.xml).join('');
      if (p.quote) {
        blocks.push({ type: 'blockquote', content: members.map((m) => m.para.node) });
        sources.push({ kind: 'quote', hash: '', xml, items });
      } else {
        blocks.push(
          buildList(
            members.map((m) => m.para),
            ctx,
          ),
        );
        sources.push({
          kind: 'list',
          hash: '',
          xml,
          items,
          numId: p.list?.numId ?? '',
          start: p.list?.start ?? 1,
        });
      }
      continue;
    }
    blocks.push(p.node);
    sources.push({ kind: 'paragraph', hash: '', xml: u.xml, para: p.para });
  }
  return { blocks, sources };
}

function newList(l: NonNullable<ParagraphUnit['list']>): Json {
  return l.ordered
    ? { type: 'orderedList', attrs: { start: l.start, type: l.type }, content: [] }
    : { type: 'bulletList', content: [] };
}

/** Builds a nested list from list paragraphs (levels clamped so each nesting step is one level deeper). */
function buildList(paras: ParagraphUnit[], ctx: ReadContext): Json {
  const first = paras[0]?.list;
  if (!first) throw new Error('buildList needs a list paragraph first');
  const root = newList(first);
  const stack: { list: Json; ilvl: number }[] = [{ list: root, ilvl: first.ilvl }];
  const lastItem = (list: Json): Json => {
    const items = list.content as Json[];
    return items[items.length - 1] as Json;
  };
  for (const p of paras) {
    const l = p.list;
    const ilvl = l ? l.ilvl : (p.continuation ?? 0);
    while (stack.length > 1 && (stack[stack.length - 1] as { ilvl: number }).ilvl > ilvl) stack.pop();
    let top = stack[stack.length - 1] as { list: Json; ilvl: number };
    if (!l) {
      (lastItem(top.list).content as Json[]).push(p.node);
      continue;
    }
    const kindMatches = (top.list.type === 'orderedList') === l.ordered;
    if (top.ilvl === ilvl && !kindMatches && stack.length > 1) {
      stack.pop();
      top = stack[stack.length - 1] as { list: Json; ilvl: number };
    }
    if (top.ilvl < ilvl || (top.ilvl === ilvl && !kindMatches && top.list !== root)) {
      if (ilvl > top.ilvl + 1)
        ctx.warnings.add('DOCX_LIST_LEVEL_SKIPPED', 'A list level jump was read as one level');
      const nested = newList(l);
      (lastItem(top.list).content as Json[]).push(nested);
      top = { list: nested, ilvl };
      stack.push(top);
    }
    (top.list.content as Json[]).push({ type: 'listItem', content: [p.node] });
  }
  return root;
}
