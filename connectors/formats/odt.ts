/**
 * ODF text (.odt) export and import. A package is a zip whose first entry is an uncompressed `mimetype`,
 * plus content.xml, styles.xml, meta.xml, META-INF/manifest.xml and Pictures/. Hostile packages are refused
 * by `safeZip` (sizes, ratio, paths) and `safeXml` (DOCTYPE, depth) with ConversionError codes; what the
 * schema lacks is kept as atoms that `writeOdt` puts back verbatim.
 */
import type { JSONContent } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { ConversionError } from '../model/errors.ts';
import { normalizeDoc, validateDoc } from '../model/schema.ts';
import { type ConversionResult, type ConversionWarning, WarningCollector } from '../model/warnings.ts';
import { NS, NS_DECLARATIONS, ODT_MIMETYPE } from './odt/namespaces.ts';
import {
  bodyOverBase,
  contentOverBase,
  freshStylePrefix,
  type OdtSource,
  odtSource,
} from './odt/overBase.ts';
import { OdtBlockReader, type OdtSourceUnit } from './odt/read.ts';
import { OdtStyleSheet } from './odt/readStyles.ts';
import { AutomaticStyles, stylesXml } from './odt/styles.ts';
import { OdtContentWriter } from './odt/write.ts';
import {
  childElements,
  decodeXmlBytes,
  escapeXmlAttr,
  escapeXmlText,
  firstChild,
  getAttr,
  parseXml,
  type XmlElement,
} from './safeXml.ts';
import { openZip, type ReadZipOptions, writeZip } from './safeZip.ts';
import { dropUnsafeUrls } from './urlPolicy.ts';

const encoder = new TextEncoder();

function metaXml(title: string | null): string {
  const titleXml = title ? `<dc:title>${escapeXmlText(title)}</dc:title>` : '';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<office:document-meta xmlns:office="${NS.office}" xmlns:meta="${NS.meta}" xmlns:dc="${NS.dc}" office:version="1.3">` +
    `<office:meta><meta:generator>Docbridge</meta:generator>${titleXml}</office:meta></office:document-meta>`
  );
}

function manifestXml(files: { path: string; mediaType: string }[]): string {
  const entries = files
    .map(
      (f) =>
        `<manifest:file-entry manifest:full-path="${escapeXmlAttr(f.path)}" manifest:media-type="${escapeXmlAttr(f.mediaType)}"/>`,
    )
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<manifest:manifest xmlns:manifest="${NS.manifest}" manifest:version="1.3">` +
    `<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="${ODT_MIMETYPE}"/>` +
    `${entries}</manifest:manifest>`
  );
}

/** Options of `writeOdt`. */
export interface WriteOdtOptions {
  /** The package the document was imported from (`readOdt(...).source`): written over, not replaced. */
  base?: OdtSource;
}

/**
 * Writes a schema document as an .odt package, with a warning for every loss. With `base`, writes over the
 * original package: every other part kept, unchanged blocks byte for byte (see `overBase.ts`).
 */
export function writeOdt(
  doc: JSONContent,
  options: WriteOdtOptions = {},
): { bytes: Uint8Array; warnings: ConversionWarning[] } {
  const warnings = new WarningCollector();
  const { doc: safe, dropped } = dropUnsafeUrls(doc);
  if (dropped) warnings.add('ODT_UNSAFE_URL_DROPPED', 'Links or images with unsafe URLs were not written');
  const node = validateDoc(safe);
  if (options.base) return { bytes: writeOverBase(node, options.base, warnings), warnings: warnings.list() };
  const writer = new OdtContentWriter(warnings);
  const content = writer.contentXml(node);
  let title: string | null = null;
  node.forEach((block) => {
    if (title === null && block.attrs.blockStyle === 'title') title = block.textContent;
  });
  const parts = [
    { path: 'content.xml', mediaType: 'text/xml', bytes: encoder.encode(content) },
    { path: 'styles.xml', mediaType: 'text/xml', bytes: encoder.encode(stylesXml()) },
    { path: 'meta.xml', mediaType: 'text/xml', bytes: encoder.encode(metaXml(title)) },
    ...writer.pictures.map((p) => ({ path: p.path, mediaType: p.mediaType, bytes: p.bytes })),
  ];
  const bytes = writeZip([
    { name: 'mimetype', bytes: encoder.encode(ODT_MIMETYPE), store: true },
    { name: 'META-INF/manifest.xml', bytes: encoder.encode(manifestXml(parts)) },
    ...parts.map((p) => ({ name: p.path, bytes: p.bytes })),
  ]);
  return { bytes, warnings: warnings.list() };
}

/** Writes over the original package: content.xml patched, new pictures added to it and its manifest. */
function writeOverBase(node: PMNode, base: OdtSource, warnings: WarningCollector): Uint8Array {
  const styles = new AutomaticStyles(freshStylePrefix(base.contentXml), base.contentXml);
  const writer = new OdtContentWriter(warnings, styles, true);
  const body = bodyOverBase(node, base, (block) => writer.topBlock(block));
  const files = new Map(base.files);
  if (!body.unchanged) {
    files.set(
      'content.xml',
      encoder.encode(contentOverBase(base, body.xml, styles.declarations(), NS_DECLARATIONS)),
    );
    const originalStyles = files.get('styles.xml');
    if (originalStyles)
      files.set('styles.xml', encoder.encode(withMissingNamedStyles(decodeXmlBytes(originalStyles))));
  }
  const added = writer.pictures.filter((p) => !files.has(p.path));
  for (const picture of added) files.set(picture.path, picture.bytes);
  const manifest = files.get('META-INF/manifest.xml');
  if (added.length && manifest) {
    const text = decodeXmlBytes(manifest);
    const at = text.lastIndexOf('</');
    const entries = added
      .map(
        (p) =>
          `<manifest:file-entry manifest:full-path="${escapeXmlAttr(p.path)}" manifest:media-type="${escapeXmlAttr(p.mediaType)}"/>`,
      )
      .join('');
    files.set('META-INF/manifest.xml', encoder.encode(text.slice(0, at) + entries + text.slice(at)));
  }
  const names = [...files.keys()].filter((name) => name !== 'mimetype');
  return writeZip([
    { name: 'mimetype', bytes: encoder.encode(ODT_MIMETYPE), store: true },
    ...names.map((name) => ({ name, bytes: files.get(name) as Uint8Array })),
  ]);
}

/**
 * The original styles.xml plus those of our named styles it lacks (Heading 1-6, Title, Preformatted Text,
 * Footnote...), so regenerated blocks keep their meaning; styles it has are left as they are.
 */
function withMissingNamedStyles(original: string): string {
  const close = original.lastIndexOf('</office:styles>');
  if (close < 0) return original;
  const ours = stylesXml();
  const section = ours.slice(
    ours.indexOf('<office:styles>') + '<office:styles>'.length,
    ours.indexOf('</office:styles>'),
  );
  const missing = (section.match(/<style:style [^>]*?(?:\/>|>[\s\S]*?<\/style:style>)/g) ?? []).filter(
    (style) => {
      const name = /style:name="([^"]+)"/.exec(style)?.[1];
      return name !== undefined && !original.includes(`style:name="${name}"`);
    },
  );
  return missing.length ? original.slice(0, close) + missing.join('') + original.slice(close) : original;
}

/** Options of `readOdt`: zip limits (defaults suit office documents). */
export interface ReadOdtOptions {
  limits?: ReadZipOptions['limits'];
}

function mediaTypesFrom(manifest: XmlElement | null): Map<string, string> {
  const types = new Map<string, string>();
  if (!manifest) return types;
  for (const entry of childElements(manifest, NS.manifest, 'file-entry')) {
    const path = getAttr(entry, NS.manifest, 'full-path');
    const type = getAttr(entry, NS.manifest, 'media-type');
    if (path && type) types.set(path, type);
  }
  return types;
}

/** True when a master page of `styles` has a header or footer. */
function hasHeaderOrFooter(styles: XmlElement): boolean {
  const master = firstChild(styles, NS.office, 'master-styles');
  return childElements(master ?? styles, NS.style, 'master-page').some((page) =>
    childElements(page, NS.style).some((c) => /^(header|footer)(-left|-first)?$/.test(c.local)),
  );
}

/** Result of `readOdt`: the document, warnings, and what writing over the original needs. */
export interface ReadOdtResult extends ConversionResult<JSONContent> {
  source: OdtSource;
}

/** Reads an .odt package (bytes from anyone) into a schema document plus warnings. */
export function readOdt(bytes: Uint8Array, options: ReadOdtOptions = {}): ReadOdtResult {
  const files = openZip(bytes, { codePrefix: 'ODT', ...(options.limits ? { limits: options.limits } : {}) });
  const mimetype = files.get('mimetype');
  const manifestBytes = files.get('META-INF/manifest.xml');
  const manifest = manifestBytes ? parseXml(manifestBytes) : null;
  const mediaTypes = mediaTypesFrom(manifest);
  const declared = mimetype ? new TextDecoder().decode(mimetype).trim() : mediaTypes.get('/');
  if (declared !== undefined && declared !== ODT_MIMETYPE) {
    throw new ConversionError('ODT_WRONG_TYPE', `The package is ${declared}, not an ODF text document`);
  }
  const contentBytes = files.get('content.xml');
  if (!contentBytes) throw new ConversionError('ODT_MISSING_CONTENT', 'The package has no content.xml');
  const source = decodeXmlBytes(contentBytes);
  const content = parseXml(source);
  if (content.uri !== NS.office || content.local !== 'document-content') {
    throw new ConversionError('ODT_CORRUPT', 'content.xml is not an ODF document-content part');
  }
  const stylesBytes = files.get('styles.xml');
  const styles = stylesBytes ? parseXml(stylesBytes) : null;
  const body = firstChild(content, NS.office, 'body');
  const text = body ? firstChild(body, NS.office, 'text') : undefined;
  if (!text) throw new ConversionError('ODT_WRONG_TYPE', 'content.xml holds no text document body');
  const warnings = new WarningCollector();
  const sheet = new OdtStyleSheet(styles ? [content, styles] : [content]);
  if (styles && hasHeaderOrFooter(styles))
    warnings.add(
      'ODT_HEADER_FOOTER_KEPT',
      'Headers and footers are not edited here: they stay in the original file and are written back on .odt export',
    );
  const units: OdtSourceUnit[] = [];
  const reader = new OdtBlockReader({ styles: sheet, warnings, source, files, mediaTypes });
  const blocks = reader.blocks(text, undefined, units);
  const doc = normalizeDoc({ type: 'doc', content: blocks.length ? blocks : [{ type: 'paragraph' }] });
  const origin = odtSource(files, source, content, text, units, blocks.length ? (doc.content ?? []) : []);
  return { doc, warnings: warnings.list(), source: origin };
}
