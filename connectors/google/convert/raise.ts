/**
 * Units to schema JSON: consecutive bulleted paragraphs become nested bullet/ordered lists by nesting level,
 * indented paragraphs a blockquote, shaded code lines one codeBlock, and Google-only content atoms with
 * `source: 'gdocs'`.
 */
import type { JSONContent } from '@tiptap/core';
import { LINE_BREAK, splitLineBreaks } from './text.ts';
import type { Inline, ParaUnit, TableUnit, Unit } from './units.ts';

function inlineJson(inline: Inline): JSONContent[] {
  if (inline.t === 'image') {
    return [{ type: 'image', attrs: { src: inline.src, alt: inline.alt, title: inline.title } }];
  }
  if (inline.t === 'atom') {
    const { kind, label, source, payload } = inline;
    return [{ type: 'atomInline', attrs: { kind, label, source, payload } }];
  }
  const marks: JSONContent['marks'] = [];
  const m = inline.marks;
  if (m.bold) marks.push({ type: 'bold' });
  if (m.italic) marks.push({ type: 'italic' });
  if (m.underline) marks.push({ type: 'underline' });
  if (m.strike) marks.push({ type: 'strike' });
  if (m.code) marks.push({ type: 'code' });
  if (m.link) marks.push({ type: 'link', attrs: { href: m.link } });
  const out: JSONContent[] = [];
  for (const part of splitLineBreaks(inline.text)) {
    if (part === LINE_BREAK) out.push({ type: 'hardBreak' });
    else out.push(marks.length > 0 ? { type: 'text', text: part, marks } : { type: 'text', text: part });
  }
  return out;
}

function textblock(p: ParaUnit): JSONContent {
  const content = p.inlines.flatMap(inlineJson);
  let node: JSONContent;
  if (p.style === 'TITLE') node = { type: 'heading', attrs: { level: 1, blockStyle: 'title' } };
  else if (p.style.startsWith('HEADING_'))
    node = { type: 'heading', attrs: { level: Number(p.style.slice(8)), blockStyle: null } };
  else node = { type: 'paragraph', attrs: { blockStyle: p.style === 'SUBTITLE' ? 'subtitle' : null } };
  if (content.length > 0) node.content = content;
  return node;
}

function buildList(items: ParaUnit[], start: number, level: number): [JSONContent, number] {
  const ordered = items[start]!.bullet!.ordered;
  const listItems: JSONContent[] = [];
  let i = start;
  while (i < items.length && items[i]!.bullet!.level === level && items[i]!.bullet!.ordered === ordered) {
    const item: JSONContent = { type: 'listItem', content: [textblock(items[i]!)] };
    i++;
    while (i < items.length && items[i]!.bullet!.level > level) {
      const [sub, next] = buildList(items, i, level + 1);
      item.content!.push(sub);
      i = next;
    }
    listItems.push(item);
  }
  return [{ type: ordered ? 'orderedList' : 'bulletList', content: listItems }, i];
}

function tableJson(t: TableUnit): JSONContent {
  const node: JSONContent = {
    type: 'table',
    content: t.rows.map((row, r) => ({
      type: 'tableRow',
      content: row
        .filter((cell) => !cell.covered)
        .map((cell) => ({
          type: r < t.headerRows ? 'tableHeader' : 'tableCell',
          attrs: { colspan: cell.colspan, rowspan: cell.rowspan, colwidth: null },
          content: raiseSegment(cell.content),
        })),
    })),
  };
  return node;
}

/** Schema block nodes for a segment's units. */
export function raiseSegment(units: readonly Unit[]): JSONContent[] {
  const out: JSONContent[] = [];
  let i = 0;
  while (i < units.length) {
    const u = units[i]!;
    if (u.k === 'table') {
      out.push(tableJson(u));
      i++;
    } else if (u.k === 'atom') {
      const node: JSONContent = {
        type: 'atomBlock',
        attrs: { kind: u.kind, label: u.label, source: u.source, payload: u.payload },
      };
      out.push(node);
      i++;
    } else if (u.hr) {
      const node: JSONContent = { type: 'horizontalRule' };
      out.push(node);
      i++;
    } else if (u.bullet) {
      const items: ParaUnit[] = [];
      while (i < units.length && units[i]!.k === 'p' && (units[i] as ParaUnit).bullet)
        items.push(units[i++] as ParaUnit);
      let j = 0;
      while (j < items.length) {
        const [list, next] = buildList(items, j, items[j]!.bullet!.level);
        out.push(list);
        j = next;
      }
    } else if (u.code) {
      const lines: ParaUnit[] = [];
      while (i < units.length && units[i]!.k === 'p' && (units[i] as ParaUnit).code)
        lines.push(units[i++] as ParaUnit);
      const text = lines.map((l) => l.inlines.map((x) => (x.t === 'text' ? x.text : '')).join('')).join('\n');
      const node: JSONContent = { type: 'codeBlock', attrs: { language: null } };
      if (text.length > 0) node.content = [{ type: 'text', text }];
      out.push(node);
    } else if (u.quote) {
      const quoted: JSONContent[] = [];
      while (i < units.length && units[i]!.k === 'p') {
        const p = units[i] as ParaUnit;
        if (!p.quote || p.bullet || p.code || p.hr) break;
        quoted.push(textblock(p));
        i++;
      }
      out.push({ type: 'blockquote', content: quoted });
    } else {
      out.push(textblock(u));
      i++;
    }
  }
  return out;
}
