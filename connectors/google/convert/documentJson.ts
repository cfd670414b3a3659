/**
 * Units to the Document JSON Google would hold for them, without any API call: what the CLI writes as
 * `.gdoc.json`. It writes what the push path would build in a new document (the same styles, list presets,
 * shading, borders and footnotes, atoms as their labels), with every index computed here, so reading it back
 * gives `normalizeForGoogle` of the source and a second trip is a fixpoint.
 */
import type { docs_v1 } from '@googleapis/docs';
import type { WarningCollector } from '../../model/warnings.ts';
import { blankDocument } from './blankDocument.ts';
import { footnoteJson, noteParagraph } from './footnotes.ts';
import { listForPreset } from './listPresets.ts';
import {
  CODE_SHADING,
  type ImageUriResolver,
  QUOTE_INDENT,
  RULE_BORDER,
  textStyleOf,
  writableImageUri,
} from './requestWriter.ts';
import type { Inline, ParaUnit, TableUnit, Unit } from './units.ts';

type Document = docs_v1.Schema$Document;
type StructuralElement = docs_v1.Schema$StructuralElement;
type ParagraphElement = docs_v1.Schema$ParagraphElement;

const pt = (magnitude: number) => ({ magnitude, unit: 'PT' });

/** The running state of one written document: the next index, ids handed out, lists, objects, footnotes. */
class Writer {
  index = 1;
  private ids = 0;
  readonly lists: Record<string, docs_v1.Schema$List> = {};
  readonly inlineObjects: Record<string, docs_v1.Schema$InlineObject> = {};
  readonly footnotes: Record<string, docs_v1.Schema$Footnote> = {};
  /** The list of the current run of bulleted paragraphs, per kind (reset by any other unit). */
  private run: { ordered?: string; bullets?: string } = {};

  constructor(
    readonly warnings: WarningCollector,
    readonly imageUri: ImageUriResolver,
  ) {}

  /** A stable id (the same document always gets the same ids, so its `.gdoc.json` is a fixpoint). */
  id(prefix: string): string {
    this.ids += 1;
    return `${prefix}${this.ids.toString(36).padStart(10, '0')}`;
  }

  listFor(ordered: boolean): string {
    const key = ordered ? 'ordered' : 'bullets';
    let id = this.run[key];
    if (!id) {
      id = this.id('kix.list');
      this.lists[id] = listForPreset(ordered ? 'NUMBERED_DECIMAL_ALPHA_ROMAN' : 'BULLET_DISC_CIRCLE_SQUARE');
      this.run[key] = id;
    }
    return id;
  }

  endListRun(): void {
    this.run = {};
  }
}

function range<T extends object>(
  start: number,
  end: number,
  body: T,
): T & { startIndex: number; endIndex: number } {
  return { startIndex: start, endIndex: end, ...body };
}

function paragraphElements(w: Writer, p: ParaUnit): ParagraphElement[] {
  const out: ParagraphElement[] = [];
  const text = (content: string, textStyle: docs_v1.Schema$TextStyle) => {
    out.push(range(w.index, w.index + content.length, { textRun: { content, textStyle } }));
    w.index += content.length;
  };
  const element = (body: ParagraphElement) => {
    out.push(range(w.index, w.index + 1, body));
    w.index += 1;
  };
  for (const inline of p.inlines) writeInline(w, p, inline, text, element);
  text('\n', {});
  return out;
}

function writeInline(
  w: Writer,
  p: ParaUnit,
  inline: Inline,
  text: (content: string, style: docs_v1.Schema$TextStyle) => void,
  element: (body: ParagraphElement) => void,
): void {
  if (inline.t === 'text') {
    text(inline.text, textStyleOf(p.code ? { code: true } : inline.marks));
    return;
  }
  if (inline.t === 'atom' && inline.note) {
    const footnoteId = w.id('kix.fn');
    w.footnotes[footnoteId] = footnoteJson(footnoteId, noteParagraph(inline.note, w.warnings));
    const footnoteNumber = String(Object.keys(w.footnotes).length);
    element({
      footnoteReference: { footnoteId, footnoteNumber, textStyle: {} },
    });
    return;
  }
  if (inline.t === 'atom') {
    w.warnings.add('GDOCS_ATOM_AS_TEXT', 'An atom that Google Docs cannot recreate was written as its label');
    if (inline.label) text(inline.label, {});
    return;
  }
  const uri = writableImageUri(inline, w.imageUri, w.warnings);
  if (!uri) return;
  const inlineObjectId = w.id('kix.img');
  w.inlineObjects[inlineObjectId] = {
    objectId: inlineObjectId,
    inlineObjectProperties: {
      embeddedObject: { imageProperties: { sourceUri: uri }, size: { height: pt(225), width: pt(300) } },
    },
  };
  element({ inlineObjectElement: { inlineObjectId, textStyle: {} } });
}

function paragraphJson(w: Writer, p: ParaUnit): StructuralElement {
  const start = w.index;
  const style: docs_v1.Schema$ParagraphStyle = { namedStyleType: p.style, direction: 'LEFT_TO_RIGHT' };
  if (p.style !== 'NORMAL_TEXT') style.headingId = w.id('h.');
  const paragraph: docs_v1.Schema$Paragraph = { paragraphStyle: style };
  if (p.bullet) {
    const listId = w.listFor(p.bullet.ordered);
    paragraph.bullet = { listId, textStyle: { underline: false } };
    if (p.bullet.level > 0) paragraph.bullet.nestingLevel = p.bullet.level;
    const level = w.lists[listId]?.listProperties?.nestingLevels?.[p.bullet.level];
    style.indentFirstLine = level?.indentFirstLine;
    style.indentStart = level?.indentStart;
  } else {
    w.endListRun();
    if (p.quote) {
      style.indentStart = QUOTE_INDENT;
      style.indentFirstLine = QUOTE_INDENT;
    }
    if (p.code) style.shading = CODE_SHADING;
    if (p.hr) style.borderBottom = RULE_BORDER;
  }
  paragraph.elements = paragraphElements(w, p);
  return range(start, w.index, { paragraph });
}

function tableJson(w: Writer, t: TableUnit): StructuralElement {
  const start = w.index;
  w.index += 1;
  const tableRows = t.rows.map((row, r): docs_v1.Schema$TableRow => {
    const rowStart = w.index;
    w.index += 1;
    const tableCells = row.map((cell): docs_v1.Schema$TableCell => {
      const cellStart = w.index;
      w.index += 1;
      const content = segmentJson(w, cell.content);
      const tableCellStyle = { rowSpan: cell.rowspan, columnSpan: cell.colspan };
      return range(cellStart, w.index, { content, tableCellStyle });
    });
    const tableRowStyle = r < t.headerRows ? { tableHeader: true } : {};
    return range(rowStart, w.index, { tableCells, tableRowStyle });
  });
  return range(start, w.index, {
    table: { rows: t.rows.length, columns: t.rows[0]?.length ?? 0, tableRows },
  });
}

function labelParagraph(u: Extract<Unit, { k: 'atom' }>): ParaUnit {
  const inlines: Inline[] = u.label ? [{ t: 'text', text: u.label, marks: {} }] : [];
  return { k: 'p', style: 'NORMAL_TEXT', bullet: null, quote: false, code: false, hr: false, inlines };
}

function segmentJson(w: Writer, units: readonly Unit[]): StructuralElement[] {
  const out: StructuralElement[] = [];
  for (const u of units) {
    if (u.k === 'p') {
      out.push(paragraphJson(w, u));
      continue;
    }
    w.endListRun();
    if (u.k === 'table') out.push(tableJson(w, u));
    else {
      w.warnings.add(
        'GDOCS_ATOM_AS_TEXT',
        'A block that Google Docs cannot recreate was written as its label',
      );
      out.push(paragraphJson(w, labelParagraph(u)));
    }
  }
  return out;
}

/**
 * The Document JSON of a new Google document titled `title` holding `units` (a lowered schema document:
 * `lowerDoc`), with `documentId` and `revisionId` as given.
 */
export function documentFromUnits(
  units: readonly Unit[],
  options: { title: string; documentId: string; revisionId: string },
  warnings: WarningCollector,
  imageUri: ImageUriResolver,
): Document {
  const w = new Writer(warnings, imageUri);
  const document = blankDocument(options.title, options.documentId, options.revisionId);
  const sectionBreak = document.body!.content![0]!;
  document.body = { content: [sectionBreak, ...segmentJson(w, units)] };
  if (Object.keys(w.lists).length > 0) document.lists = w.lists;
  if (Object.keys(w.inlineObjects).length > 0) document.inlineObjects = w.inlineObjects;
  if (Object.keys(w.footnotes).length > 0) document.footnotes = w.footnotes;
  return document;
}
