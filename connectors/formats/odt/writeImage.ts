/**
 * One schema image to an ODF `draw:frame` anchored as a character: embedded (`data:`) images are stored
 * once per content hash under `Pictures/`, linked (https) ones keep their URL; the frame size comes from the
 * image's width/height attributes or its own pixels (96 per inch); alt and title become svg:desc/svg:title.
 */
import { createHash } from 'node:crypto';
import type { Node as PMNode } from '@tiptap/pm/model';
import { escapeXmlAttr, escapeXmlText } from '../safeXml.ts';
import { decodeDataUrl } from '../urlPolicy.ts';
import { pictureSizePx } from './frameSize.ts';

/** A picture to store in the package under `Pictures/`. */
export interface OdtPicture {
  path: string;
  mediaType: string;
  bytes: Uint8Array;
}

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/jpg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/bmp': 'bmp',
};

/** The frame for `node`, adding its picture to `pictures` when embedded; `index` numbers the frame name. */
export function writeImage(node: PMNode, pictures: OdtPicture[], index: number): string {
  const src = String(node.attrs.src ?? '');
  const data = decodeDataUrl(src);
  let href = src;
  let mediaType = '';
  let size: { width?: number; height?: number } = {};
  if (data) {
    size = pictureSizePx(data.bytes);
    const digest = createHash('sha256').update(data.bytes).digest('hex').slice(0, 16);
    href = `Pictures/${digest}.${EXTENSIONS[data.mediaType] ?? 'bin'}`;
    mediaType = data.mediaType;
    if (!pictures.some((p) => p.path === href)) pictures.push({ path: href, mediaType, bytes: data.bytes });
  }
  const widthPx = Number(node.attrs.width) || size.width || 96;
  const heightPx = Number(node.attrs.height) || size.height || widthPx;
  const title = node.attrs.title ? `<svg:title>${escapeXmlText(String(node.attrs.title))}</svg:title>` : '';
  const alt = node.attrs.alt ? `<svg:desc>${escapeXmlText(String(node.attrs.alt))}</svg:desc>` : '';
  const mime = mediaType ? ` draw:mime-type="${mediaType}"` : '';
  return (
    `<draw:frame draw:style-name="DocbridgeImage" draw:name="Image${index}" text:anchor-type="as-char" ` +
    `svg:width="${(widthPx / 96).toFixed(4)}in" svg:height="${(heightPx / 96).toFixed(4)}in" draw:z-index="0">` +
    `<draw:image xlink:href="${escapeXmlAttr(href)}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"${mime}/>` +
    `${title}${alt}</draw:frame>`
  );
}
