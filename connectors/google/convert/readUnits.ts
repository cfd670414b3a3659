/**
 * Google Document JSON to units, with the Google index of every paragraph, inline, table and cell, so the
 * diff can address them. Everything the schema lacks becomes an atom; the result is projected (see
 * `project.ts`) so it compares equal to the lowering of its own import.
 */
import type { docs_v1 } from '@googleapis/docs';
import type { JSONContent } from '@tiptap/core';
import { z } from 'zod';
import { ConversionError } from '../../model/errors.ts';
import type { WarningCollector } from '../../model/warnings.ts';
import { atomPayload, elementAtom, suggestionAtom } from './atoms.ts';
import { isMonospace } from './fonts.ts';
import { projectSegment } from './project.ts';
import { LINE_BREAK } from './text.ts';
import {
  type CellUnit,
  type Inline,
  type Marks,
  NAMED_STYLE_TYPES,
  type NamedStyle,
  type ParaUnit,
  type TableUnit,
  type Unit,
} from './units.ts';

type Document = docs_v1.Schema$Document;
type StructuralElement = docs_v1.Schema$StructuralElement;

const bodyShape = z.looseObject({ content: z.array(z.looseObject({})) });
const documentShape = z.union([
  z.looseObject({ body: bodyShape }),
  z.looseObject({ tabs: z.array(z.looseObject({ documentTab: z.looseObject({ body: bodyShape }) })).min(1) }),
]);

/**
 * The document as read by the converter: its body, lists and inline objects, from the top level or (read
 * with includeTabsContent=true) from the first tab, which is where requests without a tabId apply.
 */
export function firstTab(doc: Document): Document {
  if (doc.body) return doc;
  const tab = doc.tabs?.[0]?.documentTab ?? {};
  return {
    ...doc,
    body: tab.body,
    lists: tab.lists,
    inlineObjects: tab.inlineObjects,
    footnotes: tab.footnotes,
    headers: tab.headers,
    footers: tab.footers,
    positionedObjects: tab.positionedObjects,
  };
}

const NAMED: readonly NamedStyle[] = NAMED_STYLE_TYPES;

interface ReadContext {
  doc: Document;
  warnings: WarningCollector;
  depth: number;
}

/** Marks of a Google text style (before projection: code may still carry other marks). */
export function marksOf(ts: docs_v1.Schema$TextStyle | undefined): Marks {
  const m: Marks = {};
  if (!ts) return m;
  if (ts.bold) m.bold = true;
  if (ts.italic) m.italic = true;
  if (ts.underline) m.underline = true;
  if (ts.strikethrough) m.strike = true;
  if (isMonospace(ts.weightedFontFamily?.fontFamily)) m.code = true;
  const link = ts.link;
  if (link) {
    const heading = link.headingId ?? link.heading?.id;
    const bookmark = link.bookmarkId ?? link.bookmark?.id;
    if (link.url) m.link = link.url;
    else if (heading) m.link = `#heading=${heading}`;
    else if (bookmark) m.link = `#bookmark=${bookmark}`;
  }
  return m;
}

function isOrdered(doc: Document, listId: string | null | undefined, level: number): boolean {
  const nesting = doc.lists?.[listId ?? '']?.listProperties?.nestingLevels?.[level];
  if (!nesting) return false;
  if (nesting.glyphSymbol) return false;
  const type = nesting.glyphType ?? '';
  return type !== '' && type !== 'GLYPH_TYPE_UNSPECIFIED' && type !== 'NONE';
}

function readParagraph(el: StructuralElement, ctx: ReadContext): ParaUnit {
  const p = el.paragraph ?? {};
  const style = p.paragraphStyle ?? {};
  const inlines: Inline[] = [];
  const inlineStarts: number[] = [];
  const inlineWidths: number[] = [];
  const start = el.startIndex ?? 0;
  let at = start;
  let hrElements = 0;
  for (const pe of p.elements ?? []) {
    const peStart = pe.startIndex ?? at;
    if (pe.textRun) {
      let text = pe.textRun.content ?? '';
      if (text.endsWith('\n')) text = text.slice(0, -1);
      if (text.length > 0) {
        const suggested =
          (pe.textRun.suggestedInsertionIds?.length ?? 0) > 0 ||
          (pe.textRun.suggestedDeletionIds?.length ?? 0) > 0;
        inlines.push(
          suggested
            ? suggestionAtom(pe.textRun, text)
            : { t: 'text', text, marks: marksOf(pe.textRun.textStyle) },
        );
        inlineStarts.push(peStart);
        inlineWidths.push(text.length);
      }
      at = peStart + (pe.textRun.content ?? '').length;
      continue;
    }
    const width = Math.max(1, (pe.endIndex ?? peStart + 1) - peStart);
    at = peStart + width;
    if (pe.horizontalRule) hrElements++;
    const objectId = pe.inlineObjectElement?.inlineObjectId;
    const embedded = objectId
      ? ctx.doc.inlineObjects?.[objectId]?.inlineObjectProperties?.embeddedObject
      : undefined;
    const image = embedded?.imageProperties;
    if (image && (image.sourceUri || image.contentUri)) {
      inlines.push({
        t: 'image',
        src: image.sourceUri || image.contentUri || '',
        alt: embedded?.description ?? null,
        title: embedded?.title ?? null,
      });
    } else if (pe.footnoteReference) {
      inlines.push({
        ...elementAtom(pe, width),
        note: footnoteText(ctx.doc, pe.footnoteReference.footnoteId),
      });
    } else inlines.push(elementAtom(pe, width));
    inlineStarts.push(peStart);
    inlineWidths.push(width);
  }
  const named = NAMED.includes(style.namedStyleType as NamedStyle)
    ? (style.namedStyleType as NamedStyle)
    : 'NORMAL_TEXT';
  const bullet = p.bullet
    ? {
        level: p.bullet.nestingLevel ?? 0,
        ordered: isOrdered(ctx.doc, p.bullet.listId, p.bullet.nestingLevel ?? 0),
      }
    : null;
  const onlyHr = hrElements === 1 && inlines.length === 1;
  const borderHr = inlines.length === 0 && Boolean(style.borderBottom?.width?.magnitude);
  const unit: ParaUnit = {
    k: 'p',
    style: named,
    bullet,
    quote: !bullet && (style.indentStart?.magnitude ?? 0) > 0,
    code: !bullet && Boolean(style.shading?.backgroundColor?.color?.rgbColor),
    hr: !bullet && (onlyHr || borderHr),
    inlines: onlyHr ? [] : inlines,
    g: {
      start,
      end: el.endIndex ?? at,
      inlineStarts: onlyHr ? [] : inlineStarts,
      inlineWidths: onlyHr ? [] : inlineWidths,
    },
  };
  if (onlyHr) unit.g!.inlineStarts = [];
  return unit;
}

/**
 * The text of footnote `id` (its segment's paragraphs joined by hard breaks) as schema inline JSON. Google
 * starts a footnote with a space after the number; that space is not part of the note's text.
 */
function footnoteText(doc: Document, id: string | null | undefined): JSONContent[] {
  const paragraphs = (id ? doc.footnotes?.[id]?.content : undefined) ?? [];
  const out: JSONContent[] = [];
  paragraphs.forEach((el, index) => {
    if (index > 0) out.push({ type: 'hardBreak' });
    for (const pe of el.paragraph?.elements ?? []) {
      const text = (pe.textRun?.content ?? '').replace(/\n$/, '');
      if (!text) continue;
      const m = marksOf(pe.textRun?.textStyle);
      const marks = (['bold', 'italic', 'underline', 'strike', 'code'] as const)
        .filter((k) => m[k])
        .map((type) => ({ type }));
      for (const [i, part] of text.split(LINE_BREAK).entries()) {
        if (i > 0) out.push({ type: 'hardBreak' });
        if (part) out.push({ type: 'text', text: part, ...(marks.length ? { marks } : {}) });
      }
    }
  });
  const first = out[0];
  if (first?.type === 'text' && first.text?.startsWith(' ')) {
    if (first.text.length === 1) out.shift();
    else out[0] = { ...first, text: first.text.slice(1) };
  }
  return out;
}

function readTable(el: StructuralElement, ctx: ReadContext): TableUnit {
  const table = el.table ?? {};
  const grid: CellUnit[][] = [];
  const covered = new Set<string>();
  (table.tableRows ?? []).forEach((row, r) => {
    const cells: CellUnit[] = [];
    (row.tableCells ?? []).forEach((cell, c) => {
      const isCovered = covered.has(`${r}:${c}`);
      const colspan = Math.max(1, cell.tableCellStyle?.columnSpan ?? 1);
      const rowspan = Math.max(1, cell.tableCellStyle?.rowSpan ?? 1);
      if (!isCovered && (colspan > 1 || rowspan > 1)) {
        for (let dr = 0; dr < rowspan; dr++) {
          for (let dc = 0; dc < colspan; dc++) if (dr || dc) covered.add(`${r + dr}:${c + dc}`);
        }
      }
      cells.push({
        covered: isCovered,
        colspan: isCovered ? 1 : colspan,
        rowspan: isCovered ? 1 : rowspan,
        content: readContent(cell.content ?? [], { ...ctx, depth: ctx.depth + 1 }),
        g: { start: cell.startIndex ?? 0 },
      });
    });
    grid.push(cells);
  });
  let headerRows = 0;
  while (table.tableRows?.[headerRows]?.tableRowStyle?.tableHeader) headerRows++;
  return { k: 'table', rows: grid, headerRows, g: { start: el.startIndex ?? 0, end: el.endIndex ?? 0 } };
}

/** Reads a list of structural elements (a body or a cell) into raw units. */
function readContent(content: readonly StructuralElement[], ctx: ReadContext): Unit[] {
  if (ctx.depth > 20)
    throw new ConversionError('NESTING_TOO_DEEP', 'Google document tables are nested too deeply');
  const units: Unit[] = [];
  content.forEach((el, i) => {
    if (el.paragraph) units.push(readParagraph(el, ctx));
    else if (el.table) units.push(readTable(el, ctx));
    else if (el.sectionBreak) {
      if (i === 0 && ctx.depth === 0) return;
      const sb = el.sectionBreak;
      units.push({
        k: 'atom',
        kind: 'sectionBreak',
        label: 'Section break',
        source: 'gdocs',
        payload: atomPayload({ sectionBreak: sb }, 1),
        g: { start: el.startIndex ?? 0, end: el.endIndex ?? 0 },
      });
    } else if (el.tableOfContents) {
      const width = (el.endIndex ?? 0) - (el.startIndex ?? 0);
      units.push({
        k: 'atom',
        kind: 'tableOfContents',
        label: 'Table of contents',
        source: 'gdocs',
        payload: atomPayload({ tableOfContents: {} }, width),
        g: { start: el.startIndex ?? 0, end: el.endIndex ?? 0 },
      });
    } else ctx.warnings.add('GDOCS_UNKNOWN_ELEMENT', 'An unknown structural element was skipped');
  });
  return units;
}

/**
 * Reads a Document's body into projected units with their Google indices. Throws
 * ConversionError('GDOCS_INVALID_DOCUMENT') when the input does not look like a documents.get answer.
 */
export function readUnits(document: unknown, warnings: WarningCollector): Unit[] {
  const parsed = documentShape.safeParse(document);
  if (!parsed.success) {
    throw new ConversionError(
      'GDOCS_INVALID_DOCUMENT',
      `Not a Google Docs document: ${parsed.error.issues[0]?.message}`,
    );
  }
  const doc = firstTab(document as Document);
  if (doc.tabs && doc.tabs.length > 1)
    warnings.add('GDOCS_TABS_IGNORED', 'Only the first tab of the document is read');
  const mode = doc.suggestionsViewMode;
  if (mode && mode !== 'SUGGESTIONS_INLINE' && mode !== 'DEFAULT_FOR_CURRENT_ACCESS') {
    // With suggestions previewed (accepted or rejected), indices no longer match what batchUpdate edits.
    warnings.add(
      'GDOCS_SUGGESTIONS_VIEW',
      `Read with suggestionsViewMode ${mode}: read with SUGGESTIONS_INLINE to edit`,
    );
  }
  for (const [key, label] of [
    ['headers', 'Headers'],
    ['footers', 'Footers'],
    ['positionedObjects', 'Positioned objects'],
  ] as const) {
    if (doc[key] && Object.keys(doc[key] ?? {}).length > 0) {
      warnings.add(
        `GDOCS_${key.toUpperCase()}_KEPT`,
        `${label} are kept in Google Docs but not shown in Docbridge`,
      );
    }
  }
  const units = readContent(doc.body?.content ?? [], { doc, warnings, depth: 0 });
  return projectSegment(units, warnings);
}
