/**
 * Footnote text in Google's terms. A footnote is its own segment (indices from 0; a new one holds a space and a
 * newline); its text is edited as one paragraph whose line breaks stand for both Google's line breaks and the
 * newlines between its paragraphs, exactly as the reader joins them, with the same character diff as body
 * paragraphs and every request carrying the footnote's `segmentId`. Used for three things: the text edits of
 * footnotes already in Google (in the push's batch), the text of footnotes the push creates (the second batch,
 * once the first batch's reply names them), and the footnotes of a document written offline.
 */
import type { docs_v1 } from '@googleapis/docs';
import type { JSONContent } from '@tiptap/core';
import type { WarningCollector } from '../../model/warnings.ts';
import { inlinesOf } from './lower.ts';
import { editParagraph } from './paragraphEdits.ts';
import { projectSegment } from './project.ts';
import { marksOf } from './readUnits.ts';
import { propsOf, type RequestWriter, textStyleOf } from './requestWriter.ts';
import { LINE_BREAK } from './text.ts';
import type { Inline, Marks, ParaUnit, Unit } from './units.ts';

function paragraph(inlines: Inline[], g?: ParaUnit['g']): ParaUnit {
  return { k: 'p', style: 'NORMAL_TEXT', bullet: null, quote: false, code: false, hr: false, inlines, g };
}

/** Marks a footnote can hold in Docbridge (the reader reads these; links in notes are not kept). */
function noteMarks(marks: Marks): Marks {
  const { link: _link, ...rest } = marks;
  return rest;
}

/** A note's text (schema inline JSON) as the one projected paragraph Google's footnote should hold. */
export function noteParagraph(note: readonly JSONContent[], warnings: WarningCollector): ParaUnit {
  const inlines = inlinesOf(note, warnings).flatMap((inline): Inline[] => {
    if (inline.t !== 'text') return [];
    if (inline.marks.link) warnings.add('GDOCS_NOTE_LINK', 'Links in footnotes are written as plain text');
    return [{ ...inline, marks: noteMarks(inline.marks) }];
  });
  return projectSegment([paragraph(inlines)], warnings)[0] as ParaUnit;
}

/**
 * A footnote segment read as one paragraph with Google indices (the leading space Google puts after the
 * number left out), or null when it holds more than text (an equation, a suggestion...): such a footnote is
 * never edited, since its text alone cannot say where the rest goes.
 */
export function readFootnoteSegment(
  footnote: docs_v1.Schema$Footnote | undefined,
  warnings: WarningCollector,
): ParaUnit | null {
  const content = footnote?.content ?? [];
  const inlines: Inline[] = [];
  const inlineStarts: number[] = [];
  const inlineWidths: number[] = [];
  let end = 0;
  for (const el of content) {
    if (!el.paragraph) return null;
    for (const pe of el.paragraph.elements ?? []) {
      const run = pe.textRun;
      if (!run || run.suggestedInsertionIds?.length || run.suggestedDeletionIds?.length) return null;
      const start = pe.startIndex ?? 0;
      const text = (run.content ?? '').replace(/\n/g, LINE_BREAK);
      inlines.push({ t: 'text', text, marks: noteMarks(marksOf(run.textStyle)) });
      inlineStarts.push(start);
      inlineWidths.push(text.length);
      end = start + text.length;
    }
  }
  // The segment's final newline is the paragraph's end, not a line break of the note.
  const last = inlines[inlines.length - 1];
  if (last?.t !== 'text' || !last.text.endsWith(LINE_BREAK)) return null;
  inlines[inlines.length - 1] = { ...last, text: last.text.slice(0, -1) };
  inlineWidths[inlineWidths.length - 1]! -= 1;
  const first = inlines[0];
  if (first?.t === 'text' && first.text.startsWith(' ')) {
    inlines[0] = { ...first, text: first.text.slice(1) };
    inlineStarts[0]! += 1;
    inlineWidths[0]! -= 1;
  }
  const kept = inlines.map((inline, i) => ({ inline, start: inlineStarts[i]!, width: inlineWidths[i]! }));
  const nonEmpty = kept.filter((k) => k.width > 0);
  const unit = paragraph(
    nonEmpty.map((k) => k.inline),
    {
      start: 0,
      end,
      inlineStarts: nonEmpty.map((k) => k.start),
      inlineWidths: nonEmpty.map((k) => k.width),
    },
  );
  return projectSegment([unit], warnings)[0] as ParaUnit;
}

/** A footnote as createFootnote leaves it: a space, then the newline. */
function freshFootnote(): ParaUnit {
  return paragraph([], { start: 0, end: 2, inlineStarts: [], inlineWidths: [] });
}

/**
 * The requests that bring footnote `footnoteId` from `old` (as read; null for one createFootnote just made)
 * to `wanted`, added to `w`'s batch with the footnote's segmentId. Nothing when the text is the same.
 */
export function editFootnote(
  w: RequestWriter,
  footnoteId: string,
  old: ParaUnit | null,
  wanted: ParaUnit,
): void {
  editParagraph(w.inSegment(footnoteId), old ?? freshFootnote(), wanted, propsOf(wanted));
}

/** Every footnote atom of a segment's units (table cells included), in document order. */
export function footnoteAtoms(units: readonly Unit[]): Array<Extract<Inline, { t: 'atom' }>> {
  const out: Array<Extract<Inline, { t: 'atom' }>> = [];
  for (const u of units) {
    if (u.k === 'p') for (const i of u.inlines) if (i.t === 'atom' && i.note) out.push(i);
    if (u.k === 'table')
      for (const row of u.rows) for (const cell of row) out.push(...footnoteAtoms(cell.content));
  }
  return out;
}

/** The footnote id a Google footnote reference atom carries in its payload (null for other atoms). */
export function footnoteIdOf(payload: string): string | null {
  try {
    const id = (JSON.parse(payload) as { element?: { footnoteReference?: { footnoteId?: unknown } } }).element
      ?.footnoteReference?.footnoteId;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

/**
 * The text edits of the footnotes Google already holds and the new document keeps (same reference), against
 * `footnotes` (the previous document's). A footnote that holds more than text is left as it is, with a warning
 * when its text was edited.
 */
export function editKeptFootnotes(
  w: RequestWriter,
  footnotes: Record<string, docs_v1.Schema$Footnote> | undefined,
  oldUnits: readonly Unit[],
  newUnits: readonly Unit[],
): void {
  const wanted = new Map<string, JSONContent[]>();
  for (const atom of footnoteAtoms(newUnits))
    if (atom.source === 'gdocs' && !wanted.has(atom.payload)) wanted.set(atom.payload, atom.note ?? []);
  for (const atom of footnoteAtoms(oldUnits)) {
    const note = wanted.get(atom.payload);
    const id = footnoteIdOf(atom.payload);
    if (!note || !id) continue;
    wanted.delete(atom.payload);
    const target = noteParagraph(note, w.warnings);
    const old = readFootnoteSegment(footnotes?.[id], w.warnings);
    if (old) editFootnote(w, id, old, target);
    else if (JSON.stringify(note) !== JSON.stringify(atom.note ?? []))
      w.warnings.add(
        'GDOCS_NOTE_NOT_EDITABLE',
        'A footnote holding more than text was not edited in Google Docs',
      );
  }
}

/** Document JSON of a footnote holding `p`'s text, for a document written offline. */
export function footnoteJson(footnoteId: string, p: ParaUnit): docs_v1.Schema$Footnote {
  const elements: docs_v1.Schema$ParagraphElement[] = [];
  let at = 0;
  const run = (content: string, textStyle: docs_v1.Schema$TextStyle) => {
    elements.push({
      ...(at ? { startIndex: at } : {}),
      endIndex: at + content.length,
      textRun: { content, textStyle },
    });
    at += content.length;
  };
  run(' ', {});
  for (const inline of p.inlines) if (inline.t === 'text') run(inline.text, textStyleOf(inline.marks));
  run('\n', {});
  return {
    footnoteId,
    content: [
      {
        endIndex: at,
        paragraph: {
          elements,
          paragraphStyle: { namedStyleType: 'NORMAL_TEXT', direction: 'LEFT_TO_RIGHT' },
        },
      },
    ],
  };
}
