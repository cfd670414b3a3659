/**
 * insertInlineImage and insertPageBreak: one-index paragraph elements. An image needs a public http(s) URI
 * of at most 2 kB; the emulator does not fetch it, it records it as `sourceUri` and serves a stable
 * `contentUri`. A page break is followed by a newline and cannot go inside a table.
 */
import { invalid } from './errors.ts';
import { type Ctx, insertionPoint, insideTable, paragraphPropsAt } from './locate.ts';
import { randomId, type Unit } from './model.ts';
import { copyParaProps, inheritedStyle, resolveLocation } from './textRequests.ts';

const pt = (magnitude: number) => ({ magnitude, unit: 'PT' });

type Size = { height?: { magnitude?: number; unit?: string }; width?: { magnitude?: number; unit?: string } };

/** insertInlineImage; returns the new object id. */
export function insertInlineImage(
  ctx: Ctx,
  req: {
    uri?: string;
    objectSize?: Size;
    location?: { index: number; segmentId?: string };
    endOfSegmentLocation?: { segmentId?: string };
  },
): string {
  const uri = req.uri ?? '';
  if (uri.length > 2048) invalid('The image URI must be at most 2 kB long.');
  if (!/^https?:\/\/[^\s]+$/i.test(uri)) {
    invalid(
      'There was a problem retrieving the image. The provided image should be publicly accessible, within size limit, and in supported formats.',
    );
  }
  const index = resolveLocation(ctx, req.location, req.endOfSegmentLocation);
  const p = insertionPoint(ctx.doc, index);
  const objectId = `kix.${randomId(12)}`;
  ctx.doc.inlineObjects[objectId] = {
    objectId,
    inlineObjectProperties: {
      embeddedObject: {
        imageProperties: {
          contentUri: `https://lh7-rt.googleusercontent.com/docsz/emulator/${objectId}?key=emulator`,
          sourceUri: uri,
          cropProperties: {},
        },
        embeddedObjectBorder: {
          color: { color: { rgbColor: {} } },
          width: { unit: 'PT' },
          dashStyle: 'SOLID',
          propertyState: 'NOT_RENDERED',
        },
        size: (req.objectSize as Record<string, unknown> | undefined) ?? { height: pt(225), width: pt(300) },
        marginTop: pt(9),
        marginBottom: pt(9),
        marginRight: pt(9),
        marginLeft: pt(9),
      },
    },
  };
  const unit: Unit = {
    k: 'e',
    w: 1,
    el: { inlineObjectElement: { inlineObjectId: objectId, textStyle: inheritedStyle(ctx.doc.units, p) } },
  };
  ctx.doc.units.splice(p, 0, unit);
  ctx.ops.push({ t: 'ins', at: index, len: 1 });
  return objectId;
}

/** insertPageBreak. */
export function insertPageBreak(
  ctx: Ctx,
  req: { location?: { index: number; segmentId?: string }; endOfSegmentLocation?: { segmentId?: string } },
): void {
  const index = resolveLocation(ctx, req.location, req.endOfSegmentLocation);
  const units = ctx.doc.units;
  const p = insertionPoint(ctx.doc, index);
  if (insideTable(units, p)) invalid('Page breaks cannot be inserted inside a table.');
  const ts = inheritedStyle(units, p);
  const added: Unit[] = [
    { k: 'e', w: 1, el: { pageBreak: { textStyle: ts } } },
    { k: 'c', ch: '\n', ts, pp: copyParaProps(paragraphPropsAt(units, p)) },
  ];
  units.splice(p, 0, ...added);
  ctx.ops.push({ t: 'ins', at: index, len: 2 });
}
