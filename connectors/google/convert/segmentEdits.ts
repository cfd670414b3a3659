/**
 * Edits one segment (the body or a table cell) from its read units to the wanted units. The alignment is
 * walked from the end backwards, so indices before the current point always refer to the old document:
 * each gap between unchanged (or in-place edited) units is first emptied, then filled with new units,
 * honouring Google's structure rules (text only inside paragraphs, never at a table's start index, never
 * deleting a segment's final newline or the newline before a table).
 */
import { type AlignStep, align, gapEndingAt } from '../../model/align.ts';
import { editParagraph, insertParagraphContent } from './paragraphEdits.ts';
import { type ParaProps, propsOf, type RequestWriter } from './requestWriter.ts';
import { editTable, insertNewTable } from './tableEdits.ts';
import { pairClass, pairScore, unitKey } from './unitKey.ts';
import { type ParaUnit, type Unit, unitRange } from './units.ts';

type Anchor = { op: 'keep' | 'modify'; o: number; n: number };
type Next = { kind: 'p'; props: ParaProps } | { kind: 'other' } | { kind: 'end' };

function labelParagraph(u: Extract<Unit, { k: 'atom' }>): ParaUnit {
  return {
    k: 'p',
    style: 'NORMAL_TEXT',
    bullet: null,
    quote: false,
    code: false,
    hr: false,
    inlines: u.label ? [{ t: 'text', text: u.label, marks: {} }] : [],
  };
}

/**
 * Section breaks cannot be deleted without merging the paragraphs around them; a push keeps them (they come
 * back as atoms on the next pull). Turns their deletion into a keep of a copy appended to `neu`.
 */
function keepSectionBreaks(w: RequestWriter, steps: AlignStep[], old: Unit[], neu: Unit[]): AlignStep[] {
  return steps.map((step): AlignStep => {
    if (step.op !== 'del') return step;
    const u = old[step.o]!;
    if (u.k !== 'atom' || u.kind !== 'sectionBreak') return step;
    w.warnings.add('GDOCS_SECTION_BREAK_KEPT', 'Section breaks are not deleted from Google Docs');
    neu.push(u);
    return { op: 'keep', o: step.o, n: neu.length - 1 };
  });
}

/** Edits `old` (read units, with indices) into `wanted` (wanted units). */
export function editSegment(w: RequestWriter, old: Unit[], wanted: Unit[]): void {
  const neu = wanted.slice();
  const steps = keepSectionBreaks(
    w,
    align(old.map(unitKey), neu.map(unitKey), old.map(pairClass), neu.map(pairClass), (o, n) =>
      pairScore(old[o]!, neu[n]!),
    ),
    old,
    neu,
  );
  /** Properties Google holds now for old paragraphs whose properties a merge changed (null: unknown). */
  const believed = new Map<number, ParaProps | null>();
  const believedOf = (o: number) => (believed.has(o) ? believed.get(o)! : propsOf(old[o] as ParaUnit));
  let i = steps.length - 1;
  let after: Anchor | null = null;
  for (;;) {
    const gap = gapEndingAt(steps, i);
    const { dels, ins } = gap;
    i = gap.before;
    const before = i >= 0 ? (steps[i] as Anchor) : null;
    if (dels.length > 0 || ins.length > 0)
      editGap(w, old, neu, before, after, dels, ins, believed, believedOf);
    if (!before) break;
    const o = old[before.o]!;
    const n = neu[before.n]!;
    if (o.k === 'p' && n.k === 'p' && (before.op === 'modify' || believed.has(before.o))) {
      editParagraph(w, o, n, believedOf(before.o));
    } else if (o.k === 'table' && n.k === 'table' && before.op === 'modify') editTable(w, o, n, editSegment);
    after = before;
    i--;
  }
}

function editGap(
  w: RequestWriter,
  old: Unit[],
  neu: Unit[],
  before: Anchor | null,
  after: Anchor | null,
  dels: number[],
  ins: number[],
  believed: Map<number, ParaProps | null>,
  believedOf: (o: number) => ParaProps | null,
): void {
  const x = before ? old[before.o]! : null;
  const y = after ? neu[after.n]! : null;
  let next: Next = y ? (y.k === 'p' ? { kind: 'p', props: propsOf(y) } : { kind: 'other' }) : { kind: 'end' };
  const b =
    dels.length > 0
      ? unitRange(old[dels[0]!]!).start
      : after
        ? unitRange(old[after.o]!).start
        : unitRange(x!).end;
  /** Props of an empty paragraph at `b` that the next inserted paragraph should fill (undefined: none). */
  let filler: ParaProps | null | undefined;
  if (dels.length > 0) {
    const last = old[dels[dels.length - 1]!]!;
    const s = b;
    const e = unitRange(last).end;
    if (next.kind === 'p') w.deleteRange(s, e);
    else if (x?.k === 'p' && last.k === 'p') {
      // Keep the newline before the table / at the end: delete the previous paragraph's newline instead.
      w.deleteRange(s - 1, e - 1);
      believed.set(before!.o, null);
    } else if (last.k === 'p') {
      w.deleteRange(s, e - 1);
      filler = propsOf(last);
    } else w.warnings.add('GDOCS_STRUCTURE', 'Content that Google Docs cannot remove in place was kept');
  }
  for (let k = ins.length - 1; k >= 0; k--) {
    let u = neu[ins[k]!]!;
    if (u.k === 'atom') {
      w.warnings.add(
        'GDOCS_ATOM_AS_TEXT',
        'A block that Google Docs cannot recreate was written as its label',
      );
      u = labelParagraph(u);
    }
    if (u.k === 'p') {
      if (filler !== undefined) {
        insertParagraphContent(w, b, u, false);
        w.paragraphProps(b, propsOf(u), filler);
        filler = undefined;
      } else if (next.kind === 'p') {
        insertParagraphContent(w, b, u, true);
        w.paragraphProps(b, propsOf(u), next.props);
      } else if (x?.k === 'p') {
        w.insertText(b - 1, '\n');
        insertParagraphContent(w, b, u, false);
        w.paragraphProps(b, propsOf(u), believedOf(before!.o));
      } else {
        w.warnings.add(
          'GDOCS_STRUCTURE',
          'A paragraph could not be placed before a table at the start of a segment',
        );
        continue;
      }
      next = { kind: 'p', props: propsOf(u) };
      continue;
    }
    if (filler === undefined && next.kind !== 'p') {
      w.warnings.add(
        'GDOCS_STRUCTURE',
        'A table could not be placed: Google Docs needs a paragraph after it',
      );
      continue;
    }
    const copied: ParaProps | null = filler !== undefined ? filler : (next as { props: ParaProps }).props;
    insertNewTable(w, b, u, editSegment);
    filler = copied;
    next = { kind: 'other' };
  }
  if (filler !== undefined && x?.k === 'p') {
    // The empty paragraph Google put before a new table is not wanted: merge it into the paragraph before.
    w.deleteRange(b - 1, b);
    believed.set(before!.o, null);
  }
}
