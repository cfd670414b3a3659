/**
 * Reads a `w:drawing`: an inline picture becomes a schema `image` (bytes kept as a data: URL, or the https
 * URL of a linked picture; size in CSS pixels from the EMU extent); anything else (floating pictures, shapes,
 * text boxes, charts, SmartArt) becomes an opaque `atomInline` so it is written back untouched.
 */
import { inlineAtom, type ReadContext, visibleText } from './readContext.ts';
import type { MarkJson } from './readRun.ts';
import type { Json } from './types.ts';
import { child, descendants, type XmlElement } from './xmlTree.ts';

const EMU_PER_PX = 9525;

const mimeByExtension: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  svg: 'image/svg+xml',
  webp: 'image/webp',
  emf: 'image/x-emf',
  wmf: 'image/x-wmf',
};

/** MIME type of an image part, from its extension. */
export function imageMime(partName: string): string {
  const ext = partName.slice(partName.lastIndexOf('.') + 1).toLowerCase();
  return mimeByExtension[ext] ?? 'application/octet-stream';
}

/** A data: URL carrying `bytes`. */
export function dataUrl(mime: string, bytes: Uint8Array): string {
  return `data:${mime};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`;
}

function pictureSource(blip: XmlElement, ctx: ReadContext): string | undefined {
  const embed = blip.attrs['r:embed'];
  if (embed) {
    const rel = ctx.rels.byId.get(embed);
    if (!rel || rel.external) return rel?.target.startsWith('https://') ? rel.target : undefined;
    const part = rel.part ?? '';
    const cached = ctx.images.get(part);
    if (cached) return cached;
    const bytes = ctx.parts.get(part);
    if (!bytes) return undefined;
    const url = dataUrl(imageMime(part), bytes);
    ctx.images.set(part, url);
    return url;
  }
  const link = blip.attrs['r:link'];
  const rel = link ? ctx.rels.byId.get(link) : undefined;
  return rel?.external && rel.target.startsWith('https://') ? rel.target : undefined;
}

/** The schema node for one `w:drawing`; `payload` is the XML to keep when it becomes an atom. */
export function imageOrDrawing(
  drawing: XmlElement,
  payload: string,
  ctx: ReadContext,
  link?: MarkJson,
): Json {
  const inline = child(drawing, 'wp:inline');
  const pic = inline ? descendants(inline, 'pic:pic')[0] : undefined;
  const blip = pic ? descendants(pic, 'a:blip')[0] : undefined;
  const src = blip ? pictureSource(blip, ctx) : undefined;
  if (!inline || !src) {
    const isTextBox = descendants(drawing, 'w:txbxContent').length > 0;
    if (inline && blip) {
      ctx.warnings.add(
        'DOCX_PICTURE_UNREADABLE',
        'A picture whose bytes are missing or linked locally was kept as an atom',
      );
    }
    return inlineAtom(isTextBox ? 'textBox' : 'drawing', isTextBox ? visibleText(drawing) : '', payload, ctx);
  }
  const docPr = child(inline, 'wp:docPr');
  const extent = child(inline, 'wp:extent');
  const px = (v: string | undefined) => {
    const n = Number(v);
    return Number.isFinite(n) && n > 0 ? Math.max(1, Math.round(n / EMU_PER_PX)) : null;
  };
  const node: Json = {
    type: 'image',
    attrs: {
      src,
      alt: docPr?.attrs.descr || null,
      title: docPr?.attrs.title || null,
      width: px(extent?.attrs.cx),
      height: px(extent?.attrs.cy),
    },
  };
  if (link) node.marks = [link];
  return node;
}
