/**
 * Writes a schema `image` as an inline picture run: a data: URL's bytes become a media part (reusing an
 * identical one already in the package), an https URL becomes a linked picture. Size comes from the node's
 * width/height, else from the image itself (image-size), else 96 px square.
 */
import { imageSize } from 'image-size';
import { escapeXmlAttr } from '../../formats/safeXml.ts';
import type { Json } from './types.ts';
import type { WriteContext } from './writeContext.ts';

const EMU_PER_PX = 9525;

const extensionByMime: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/gif': 'gif',
  'image/bmp': 'bmp',
  'image/tiff': 'tiff',
  'image/svg+xml': 'svg',
  'image/webp': 'webp',
  'image/x-emf': 'emf',
  'image/x-wmf': 'wmf',
};

function decodeDataUrl(src: string): { mime: string; bytes: Uint8Array } | undefined {
  const m = /^data:([\w.+-]+\/[\w.+-]+)?(;[^,]*)?,(.*)$/s.exec(src);
  if (!m) return undefined;
  const isBase64 = (m[2] ?? '').includes(';base64');
  const data = m[3] ?? '';
  const bytes = isBase64 ? Buffer.from(data, 'base64') : Buffer.from(decodeURIComponent(data), 'utf8');
  return { mime: m[1] ?? 'application/octet-stream', bytes: new Uint8Array(bytes) };
}

function sizeOf(node: Json, bytes: Uint8Array | undefined): { w: number; h: number } {
  const attrs = (node.attrs ?? {}) as Record<string, unknown>;
  const w = Number(attrs.width);
  const h = Number(attrs.height);
  if (w > 0 && h > 0) return { w, h };
  let natural = { w: 96, h: 96 };
  if (bytes) {
    try {
      const s = imageSize(bytes);
      if (s.width && s.height) natural = { w: s.width, h: s.height };
    } catch {
      // Unknown format: keep the default size.
    }
  }
  if (w > 0) return { w, h: Math.max(1, Math.round((w * natural.h) / natural.w)) };
  if (h > 0) return { w: Math.max(1, Math.round((h * natural.w) / natural.h)), h };
  return natural;
}

/** The run XML of an inline picture for `node`, or its alt text (with a warning) when it cannot be written. */
export function imageRun(node: Json, ctx: WriteContext): string {
  const attrs = (node.attrs ?? {}) as Record<string, string | null>;
  const src = attrs.src ?? '';
  let blip: string;
  let bytes: Uint8Array | undefined;
  const data = src.startsWith('data:') ? decodeDataUrl(src) : undefined;
  if (data) {
    const ext = extensionByMime[data.mime];
    if (!ext) return unsupported(attrs, ctx);
    bytes = data.bytes;
    blip = `r:embed="${ctx.pkg.image(data.bytes, ext, data.mime)}"`;
  } else if (src.startsWith('https://')) {
    blip = `r:link="${ctx.pkg.linkedImage(src)}"`;
  } else return unsupported(attrs, ctx);
  const { w, h } = sizeOf(node, bytes);
  const cx = Math.round(w * EMU_PER_PX);
  const cy = Math.round(h * EMU_PER_PX);
  const id = ctx.nextDrawingId++;
  const strict = ctx.pkg.strict;
  const ns = {
    wp: strict
      ? 'http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing'
      : 'http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing',
    a: strict
      ? 'http://purl.oclc.org/ooxml/drawingml/main'
      : 'http://schemas.openxmlformats.org/drawingml/2006/main',
    pic: strict
      ? 'http://purl.oclc.org/ooxml/drawingml/picture'
      : 'http://schemas.openxmlformats.org/drawingml/2006/picture',
    r: strict
      ? 'http://purl.oclc.org/ooxml/officeDocument/relationships'
      : 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  };
  const descr = attrs.alt ? ` descr="${escapeXmlAttr(attrs.alt)}"` : '';
  const title = attrs.title ? ` title="${escapeXmlAttr(attrs.title)}"` : '';
  return (
    `<w:r><w:drawing><wp:inline xmlns:wp="${ns.wp}" distT="0" distB="0" distL="0" distR="0"><wp:extent cx="${cx}" cy="${cy}"/>` +
    `<wp:docPr id="${id}" name="Picture ${id}"${descr}${title}/><wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="${ns.a}" noChangeAspect="1"/></wp:cNvGraphicFramePr>` +
    `<a:graphic xmlns:a="${ns.a}"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="${ns.pic}">` +
    `<pic:nvPicPr><pic:cNvPr id="${id}" name="Picture ${id}"/><pic:cNvPicPr/></pic:nvPicPr>` +
    `<pic:blipFill><a:blip xmlns:r="${ns.r}" ${blip}/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>` +
    `<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${cx}" cy="${cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>` +
    '</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'
  );
}

function unsupported(attrs: Record<string, string | null>, ctx: WriteContext): string {
  ctx.warnings.add(
    'DOCX_IMAGE_SOURCE_UNSUPPORTED',
    'An image that is neither a data: URL of a known type nor https was written as its alt text',
  );
  return attrs.alt ? `<w:r><w:t xml:space="preserve">${escapeXmlAttr(attrs.alt)}</w:t></w:r>` : '';
}
