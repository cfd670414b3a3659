/**
 * createFootnote and the footnote segments. A footnote reference is a one-index element inserted inside an
 * existing paragraph of the body (never in a header, footer or footnote, nor inside an equation); its new
 * footnote holds a space followed by a newline, and the reply names it (`createFootnote.footnoteId`), which
 * later batches use as the `segmentId` of insertText, deleteContentRange and style requests.
 */
import { invalid } from './errors.ts';
import { type Ctx, insertionPoint } from './locate.ts';
import { randomId, type Unit } from './model.ts';
import { inheritedStyle, resolveLocation } from './textRequests.ts';

/** The request kinds that may address a footnote through `segmentId`. */
export const SEGMENT_KINDS: ReadonlySet<string> = new Set([
  'insertText',
  'deleteContentRange',
  'updateTextStyle',
  'updateParagraphStyle',
  'createParagraphBullets',
  'deleteParagraphBullets',
]);

/** The segmentId a request body names (in its location, range or endOfSegmentLocation), if any. */
export function segmentIdOf(body: Record<string, unknown>): string | undefined {
  for (const key of ['location', 'range', 'endOfSegmentLocation']) {
    const id = (body[key] as { segmentId?: string } | undefined)?.segmentId;
    if (id) return id;
  }
  return undefined;
}

/** A copy of a request body without its segmentId (the handler then edits the segment it is given). */
export function withoutSegmentId(body: Record<string, unknown>): Record<string, unknown> {
  const out = structuredClone(body);
  for (const key of ['location', 'range', 'endOfSegmentLocation']) {
    const part = out[key] as { segmentId?: string } | undefined;
    if (part) delete part.segmentId;
  }
  return out;
}

/** createFootnote; returns the new footnote's id. */
export function createFootnote(
  ctx: Ctx,
  req: { location?: { index: number; segmentId?: string }; endOfSegmentLocation?: { segmentId?: string } },
): string {
  if (req.location?.segmentId || req.endOfSegmentLocation?.segmentId) {
    invalid(
      'Footnote references can only be inserted in the body: they cannot be inserted inside a header, footer or footnote, so the segment ID must be empty.',
    );
  }
  const index = resolveLocation(ctx, req.location, req.endOfSegmentLocation);
  const p = insertionPoint(ctx.doc, index);
  const footnoteId = `kix.${randomId(12)}`;
  // The reference takes the surrounding text style (Google draws it superscript whatever its style says:
  // UNCONFIRMED whether documents.get reports a baselineOffset for it).
  const reference: Unit = {
    k: 'e',
    w: 1,
    el: {
      footnoteReference: { footnoteId, footnoteNumber: '', textStyle: inheritedStyle(ctx.doc.units, p) },
    },
  };
  ctx.doc.units.splice(p, 0, reference);
  ctx.doc.footnotes[footnoteId] = [
    { k: 'c', ch: ' ', ts: {} },
    {
      k: 'c',
      ch: '\n',
      ts: {},
      pp: { paragraphStyle: { namedStyleType: 'NORMAL_TEXT', direction: 'LEFT_TO_RIGHT' } },
    },
  ];
  ctx.ops.push({ t: 'ins', at: index, len: 1 });
  return footnoteId;
}
