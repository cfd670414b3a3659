/**
 * Schema JSON to units: what a schema document becomes in Google Docs. Lists flatten to bulleted paragraphs
 * with nesting levels, blockquotes to indented paragraphs, code blocks to shaded monospace lines, rules to
 * bottom-bordered empty paragraphs; Google's structure rules are then enforced (a paragraph before a
 * leading table, between adjacent tables and at the end of every segment). Every loss is a warning.
 */
import type { JSONContent } from '@tiptap/core';
import type { WarningCollector } from '../../model/warnings.ts';
import { MAX_LIST_LEVEL, projectSegment } from './project.ts';
import { LINE_BREAK, stripUnsupported } from './text.ts';
import type { CellUnit, Inline, Marks, NamedStyle, ParaUnit, TableUnit, Unit } from './units.ts';

interface LowerContext {
  warnings: WarningCollector;
  depth: number;
}

function emptyPara(): ParaUnit {
  return { k: 'p', style: 'NORMAL_TEXT', bullet: null, quote: false, code: false, hr: false, inlines: [] };
}

function marksOf(node: JSONContent, w: WarningCollector): Marks {
  const m: Marks = {};
  for (const mark of node.marks ?? []) {
    if (mark.type === 'bold') m.bold = true;
    else if (mark.type === 'italic') m.italic = true;
    else if (mark.type === 'underline') m.underline = true;
    else if (mark.type === 'strike') m.strike = true;
    else if (mark.type === 'code') m.code = true;
    else if (mark.type === 'link' && typeof mark.attrs?.href === 'string' && mark.attrs.href) {
      m.link = mark.attrs.href;
      const { target, rel, class: cls, title } = mark.attrs;
      if (
        (target && target !== '_blank') ||
        (rel && rel !== 'noopener noreferrer nofollow') ||
        cls ||
        title
      ) {
        w.add('GDOCS_LINK_ATTRS', 'Link targets, rel, class and titles are not written');
      }
    } else w.add('GDOCS_MARK_LOST', `The mark "${mark.type}" has no Google Docs equivalent and was dropped`);
  }
  if (m.link && m.underline && !m.code)
    w.add('GDOCS_LINK_UNDERLINE', 'Underline on linked text is shown as the link style');
  return m;
}

/** Units inlines of schema inline nodes (a paragraph's content, a note's text). */
export function inlinesOf(nodes: readonly JSONContent[] | undefined, w: WarningCollector): Inline[] {
  const out: Inline[] = [];
  for (const node of nodes ?? []) {
    if (node.type === 'text') {
      const raw = node.text ?? '';
      // Google strips these characters on insert, and a newline would split the paragraph.
      const text = stripUnsupported(raw.replace(/\n/g, LINE_BREAK));
      if (text !== raw)
        w.add('GDOCS_CHARACTERS', 'Control and private-use characters are not kept by Google Docs');
      if (text) out.push({ t: 'text', text, marks: marksOf(node, w) });
    } else if (node.type === 'hardBreak') out.push({ t: 'text', text: LINE_BREAK, marks: {} });
    else if (node.type === 'image') {
      const a = node.attrs ?? {};
      if (a.width || a.height) w.add('GDOCS_IMAGE_SIZE', 'Image sizes are not written to Google Docs');
      out.push({
        t: 'image',
        src: String(a.src ?? ''),
        alt: (a.alt as string | null) ?? null,
        title: (a.title as string | null) ?? null,
      });
    } else if (node.type === 'note') {
      out.push(noteInline(node, w));
    } else if (node.type === 'atomInline') {
      const a = node.attrs ?? {};
      out.push({
        t: 'atom',
        kind: String(a.kind ?? ''),
        label: String(a.label ?? ''),
        source: String(a.source ?? ''),
        payload: String(a.payload ?? ''),
      });
    } else w.add('GDOCS_INLINE_LOST', `The inline node "${node.type}" was dropped`);
  }
  return out;
}

/**
 * A note as Google holds it: a footnote is a footnote (one read from Google stays its reference, the atom it
 * was read as, so edits around it never re-create it; any other is created); Google has no endnotes, so those
 * are written as their text in brackets (warned).
 */
function noteInline(node: JSONContent, w: WarningCollector): Inline {
  const a = node.attrs ?? {};
  const text = (node.content ?? []).map((n) => (n.type === 'text' ? (n.text ?? '') : ' ')).join('');
  const label = text ? ` [${text}]` : '';
  if (a.kind !== 'endnote') {
    return {
      t: 'atom',
      kind: 'footnote',
      label,
      source: String(a.source ?? ''),
      payload: String(a.payload ?? ''),
      note: node.content ?? [],
    };
  }
  w.add('GDOCS_NOTE_AS_TEXT', 'Google Docs has no endnotes: endnotes were written as their text in brackets');
  return {
    t: 'atom',
    kind: String(a.kind ?? 'footnote'),
    label,
    source: 'docbridge',
    payload: '',
  };
}

function paraOf(node: JSONContent, w: WarningCollector): ParaUnit {
  const p = emptyPara();
  const blockStyle = node.attrs?.blockStyle;
  if (node.type === 'heading') {
    const level = Math.min(6, Math.max(1, Number(node.attrs?.level ?? 1)));
    p.style = blockStyle === 'title' ? 'TITLE' : (`HEADING_${level}` as NamedStyle);
  } else if (blockStyle === 'title') p.style = 'TITLE';
  else if (blockStyle === 'subtitle') p.style = 'SUBTITLE';
  p.inlines = inlinesOf(node.content, w);
  return p;
}

function lowerList(node: JSONContent, level: number, out: Unit[], ctx: LowerContext): void {
  const ordered = node.type === 'orderedList';
  if (ordered && (Number(node.attrs?.start ?? 1) !== 1 || node.attrs?.type)) {
    ctx.warnings.add(
      'GDOCS_LIST_NUMBERING',
      'Ordered list start numbers and numbering types are not written',
    );
  }
  if (level > MAX_LIST_LEVEL)
    ctx.warnings.add('GDOCS_LIST_TOO_DEEP', 'Lists deeper than 9 levels are flattened');
  const lvl = Math.min(level, MAX_LIST_LEVEL);
  for (const item of node.content ?? []) {
    let first = true;
    for (const child of item.content ?? []) {
      if (child.type === 'bulletList' || child.type === 'orderedList') {
        lowerList(child, level + 1, out, ctx);
        continue;
      }
      if (child.type !== 'paragraph' && child.type !== 'heading') {
        ctx.warnings.add(
          'GDOCS_LIST_ITEM_BLOCK',
          'Blocks other than paragraphs inside list items are written after the list item',
        );
        lowerBlock(child, out, ctx);
        continue;
      }
      if (!first)
        ctx.warnings.add(
          'GDOCS_LIST_ITEM_SPLIT',
          'A list item with several paragraphs becomes several list items',
        );
      const p = paraOf(child, ctx.warnings);
      if (p.style !== 'NORMAL_TEXT' && p.style !== 'SUBTITLE') {
        ctx.warnings.add('GDOCS_LIST_HEADING', 'Headings inside list items are written as list paragraphs');
      }
      p.bullet = { level: lvl, ordered };
      out.push(p);
      first = false;
    }
  }
}

function lowerTable(node: JSONContent, ctx: LowerContext): TableUnit {
  const grid: (CellUnit | undefined)[][] = [];
  (node.content ?? []).forEach((row, r) => {
    grid[r] ??= [];
    let c = 0;
    for (const cell of row.content ?? []) {
      while (grid[r]![c]) c++;
      if (cell.attrs?.colwidth || cell.attrs?.align)
        ctx.warnings.add('GDOCS_CELL_LAYOUT', 'Column widths and cell alignment are not written');
      const colspan = Math.max(1, Number(cell.attrs?.colspan ?? 1));
      const rowspan = Math.max(1, Number(cell.attrs?.rowspan ?? 1));
      const content = lowerSegment(cell.content ?? [], { ...ctx, depth: ctx.depth + 1 });
      grid[r]![c] = { covered: false, colspan, rowspan, content };
      for (let dr = 0; dr < rowspan; dr++) {
        for (let dc = 0; dc < colspan; dc++) {
          if (!dr && !dc) continue;
          grid[r + dr] ??= [];
          grid[r + dr]![c + dc] = { covered: true, colspan: 1, rowspan: 1, content: [emptyPara()] };
        }
      }
      c += colspan;
    }
  });
  const columns = Math.max(1, ...grid.map((row) => row.length));
  const rows = grid.map((row) => {
    const full: CellUnit[] = [];
    for (let c = 0; c < columns; c++)
      full.push(row[c] ?? { covered: false, colspan: 1, rowspan: 1, content: [emptyPara()] });
    if (row.length < columns)
      ctx.warnings.add('GDOCS_TABLE_RAGGED', 'Rows with missing cells were completed with empty cells');
    return full;
  });
  // Google pins leading header rows; header cells anywhere else are written as ordinary cells.
  const rowNodes = node.content ?? [];
  const allHeaders = (row: JSONContent) =>
    (row.content ?? []).length > 0 && (row.content ?? []).every((c) => c.type === 'tableHeader');
  let headerRows = 0;
  while (headerRows < rowNodes.length && allHeaders(rowNodes[headerRows]!)) headerRows++;
  if (rowNodes.slice(headerRows).some((row) => (row.content ?? []).some((c) => c.type === 'tableHeader'))) {
    ctx.warnings.add(
      'GDOCS_TABLE_HEADER',
      'Header cells outside the leading header rows are written as ordinary cells',
    );
  }
  return { k: 'table', rows, headerRows };
}

function lowerBlock(node: JSONContent, out: Unit[], ctx: LowerContext): void {
  switch (node.type) {
    case 'paragraph':
    case 'heading':
      out.push(paraOf(node, ctx.warnings));
      return;
    case 'bulletList':
    case 'orderedList':
      lowerList(node, 0, out, ctx);
      return;
    case 'blockquote':
      for (const child of node.content ?? []) {
        if (child.type === 'paragraph' || child.type === 'heading') {
          const p = paraOf(child, ctx.warnings);
          p.quote = true;
          out.push(p);
        } else {
          ctx.warnings.add(
            'GDOCS_QUOTE_FLATTENED',
            'Lists, tables and code inside a quote are written without the quote',
          );
          lowerBlock(child, out, ctx);
        }
      }
      return;
    case 'codeBlock': {
      if (node.attrs?.language)
        ctx.warnings.add('GDOCS_CODE_LANGUAGE', 'Code block languages are not written');
      const text = (node.content ?? []).map((t) => t.text ?? '').join('');
      for (const raw of text.split('\n')) {
        const line = stripUnsupported(raw);
        if (line !== raw)
          ctx.warnings.add(
            'GDOCS_CHARACTERS',
            'Control and private-use characters are not kept by Google Docs',
          );
        const p = emptyPara();
        p.code = true;
        if (line.length > 0) p.inlines = [{ t: 'text', text: line, marks: {} }];
        out.push(p);
      }
      return;
    }
    case 'horizontalRule': {
      const p = emptyPara();
      p.hr = true;
      out.push(p);
      return;
    }
    case 'table':
      out.push(lowerTable(node, ctx));
      return;
    case 'atomBlock': {
      const a = node.attrs ?? {};
      out.push({
        k: 'atom',
        kind: String(a.kind ?? ''),
        label: String(a.label ?? ''),
        source: String(a.source ?? ''),
        payload: String(a.payload ?? ''),
      });
      return;
    }
    default:
      ctx.warnings.add(
        'GDOCS_BLOCK_LOST',
        `The block "${node.type}" has no Google Docs equivalent and was dropped`,
      );
  }
}

/** Enforces Google's segment structure: a paragraph before every table or block atom, and one at the end. */
function structure(units: Unit[]): Unit[] {
  const out: Unit[] = [];
  for (const u of units) {
    const prev = out[out.length - 1];
    // Tables, tables of contents and section breaks always follow a paragraph (the newline before them).
    if (u.k !== 'p' && prev?.k !== 'p') out.push(emptyPara());
    out.push(u);
  }
  if (out.length === 0 || out[out.length - 1]!.k !== 'p') out.push(emptyPara());
  return out;
}

/** Lowers a list of schema blocks (a doc's or a cell's content) to projected units. */
export function lowerSegment(blocks: readonly JSONContent[], ctx: LowerContext): Unit[] {
  const out: Unit[] = [];
  for (const block of blocks) lowerBlock(block, out, ctx);
  return projectSegment(structure(out), ctx.warnings);
}

/** Lowers a schema document to projected units. */
export function lowerDoc(doc: JSONContent, warnings: WarningCollector): Unit[] {
  return lowerSegment(doc.content ?? [], { warnings, depth: 0 });
}
