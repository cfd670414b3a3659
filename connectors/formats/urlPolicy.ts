/**
 * Which URLs an imported document may carry. Every reader (Markdown, HTML, ODF) passes link targets and
 * image sources through here, so `javascript:`, `vbscript:`, `data:` (outside raster images) and friends
 * never enter a document, whatever format they came from.
 */
import type { JSONContent } from '@tiptap/core';

const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:', 'tel:']);
const IMAGE_SCHEMES = new Set(['http:', 'https:']);
/** Raster image types allowed as `data:` image sources (SVG is left out: it can carry script). */
const DATA_IMAGE = /^data:image\/(png|jpeg|jpg|gif|webp|bmp);base64,[A-Za-z0-9+/=\s]*$/i;

/** The scheme of `url` lowercased with its colon (`https:`), '' for a relative URL, null if unparsable. */
function schemeOf(url: string): string | null {
  // Browsers ignore ASCII whitespace and control characters inside a scheme (`java\tscript:`): strip first.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point.
  const compact = url.replace(/[\u0000-\u0020\u007f]/g, '');
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(compact);
  if (match) return `${match[1]?.toLowerCase()}:`;
  return compact.includes(':') && !/^[^:]*[/?#]/.test(compact) ? null : '';
}

/** True for link targets we keep: http(s), mailto, tel, and relative or fragment references. */
export function isSafeLinkHref(href: string): boolean {
  const scheme = schemeOf(href);
  return scheme === '' || (scheme !== null && LINK_SCHEMES.has(scheme));
}

/** True for image sources we keep: http(s) URLs and base64 `data:` URLs of raster image types. */
export function isSafeImageSrc(src: string): boolean {
  const scheme = schemeOf(src);
  if (scheme === 'data:') return DATA_IMAGE.test(src.trim());
  return scheme !== null && IMAGE_SCHEMES.has(scheme);
}

/** The bytes and media type of a base64 `data:` URL, or null when it is not one. */
export function decodeDataUrl(src: string): { mediaType: string; bytes: Uint8Array } | null {
  const match = /^data:([a-z]+\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/=\s]*)$/i.exec(src.trim());
  if (!match) return null;
  return { mediaType: (match[1] ?? '').toLowerCase(), bytes: Buffer.from(match[2] ?? '', 'base64') };
}

/** A base64 `data:` URL holding `bytes`. */
export function encodeDataUrl(mediaType: string, bytes: Uint8Array): string {
  return `data:${mediaType};base64,${Buffer.from(bytes).toString('base64')}`;
}

/**
 * A copy of `doc` without link marks whose href is unsafe and without images whose src is unsafe (their
 * alt text kept), and how many were removed. Writers run it because documents edited by web clients can
 * hold anything; readers run it as a last line behind their own checks.
 */
export function dropUnsafeUrls(doc: JSONContent): { doc: JSONContent; dropped: number } {
  let dropped = 0;
  const visit = (node: JSONContent): JSONContent[] => {
    if (node.type === 'image' && !isSafeImageSrc(String(node.attrs?.src ?? ''))) {
      dropped += 1;
      const alt = node.attrs?.alt;
      return typeof alt === 'string' && alt ? [{ type: 'text', text: alt }] : [];
    }
    const copy: JSONContent = { ...node };
    if (node.marks) {
      const marks = node.marks.filter(
        (m) => m.type !== 'link' || isSafeLinkHref(String(m.attrs?.href ?? '')),
      );
      dropped += node.marks.length - marks.length;
      if (marks.length) copy.marks = marks;
      else delete copy.marks;
    }
    if (node.content) copy.content = node.content.flatMap(visit);
    return [copy];
  };
  return { doc: visit(doc)[0] ?? doc, dropped };
}
