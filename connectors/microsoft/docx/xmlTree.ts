/**
 * The OOXML view of a parsed part: names are canonical (`w:p` in Transitional and Strict alike), attributes
 * are looked up by canonical name, whitespace-only text outside text elements is dropped, and every element
 * keeps its `[start, end)` range in the source string, so unchanged blocks are copied back byte for byte.
 * The parsing itself, and its protections against hostile input (no DOCTYPE, so no XXE and no entity
 * expansion bombs; nesting depth and element count capped), is the one XML layer's: `formats/safeXml.ts`.
 */

import { parseXmlWith, type XmlTreeBuilder } from '../../formats/safeXml.ts';
import { ConversionError } from '../../model/errors.ts';
import { canonicalPrefix } from './ooxmlNames.ts';

/** One element: canonical name, attributes by canonical name, children, and its `[start, end)` source range. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  start: number;
  end: number;
  /** Namespace declarations made on this element itself (prefix -> URI), when any. */
  decls?: Record<string, string>;
}

/** An element or a text node (entity-decoded text). */
export type XmlNode = XmlElement | string;

/** The parsed document: its root element and the source text (without BOM) the ranges refer to. */
export interface XmlDocument {
  root: XmlElement;
  text: string;
}

/** Elements whose whitespace-only text is content; elsewhere such text is formatting and dropped. */
const textElements = new Set(['w:t', 'w:delText', 'w:instrText', 'w:delInstrText', 'm:t', 'a:t']);

function canonicalName(uri: string, local: string, prefix: string): string {
  if (uri === '') return local;
  const p = canonicalPrefix(uri);
  if (p) return `${p}:${local}`;
  return prefix ? `${prefix}:${local}` : `{${uri}}${local}`;
}

/** Builds OOXML elements straight from the parser's tags (no intermediate tree). */
const ooxmlTree: XmlTreeBuilder<XmlElement> = {
  open(tag, start, end, parent) {
    const attrs: Record<string, string> = {};
    let decls: Record<string, string> | undefined;
    for (const a of Object.values(tag.attributes)) {
      if (a.prefix === 'xmlns' || a.name === 'xmlns') {
        decls ??= {};
        decls[a.prefix === 'xmlns' ? a.local : ''] = a.value;
        continue;
      }
      attrs[canonicalName(a.uri, a.local, a.prefix)] = a.value;
    }
    const el: XmlElement = {
      name: canonicalName(tag.uri, tag.local, tag.prefix),
      attrs,
      children: [],
      start,
      end,
    };
    if (decls) el.decls = decls;
    parent?.children.push(el);
    return el;
  },
  text(parent, text) {
    if (textElements.has(parent.name) || text.trim() !== '') parent.children.push(text);
  },
  close(el, end) {
    el.end = end;
  },
};

/**
 * Parses `xml` (a whole part, already decoded) into an XmlDocument. Throws ConversionError with code
 * XML_DOCTYPE_FORBIDDEN, NESTING_TOO_DEEP, XML_TOO_LARGE, INPUT_TRUNCATED (the part ends inside an element)
 * or XML_MALFORMED; `partName` goes into messages.
 */
export function parseXml(xml: string, partName: string): XmlDocument {
  let root: XmlElement;
  try {
    root = parseXmlWith(xml, ooxmlTree);
  } catch (err) {
    if (!(err instanceof ConversionError)) throw err;
    const truncated =
      err.code === 'XML_MALFORMED' &&
      /unclosed|unexpected end|must contain a root|no root/i.test(err.message);
    throw new ConversionError(truncated ? 'INPUT_TRUNCATED' : err.code, `${partName}: ${err.message}`, {
      cause: err,
    });
  }
  return { root, text: xml };
}

/** Child elements of `el`, optionally only those named `name`. */
export function elements(el: XmlElement, name?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children)
    if (typeof c !== 'string' && (name === undefined || c.name === name)) out.push(c);
  return out;
}

/** The first child element named `name`, if any. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (typeof c !== 'string' && c.name === name) return c;
  return undefined;
}

/** Concatenated text of `el` and its descendants. */
export function textOf(el: XmlElement): string {
  let out = '';
  for (const c of el.children) out += typeof c === 'string' ? c : textOf(c);
  return out;
}

/** Every descendant element named `name`, depth first. */
export function descendants(el: XmlElement, name: string, out: XmlElement[] = []): XmlElement[] {
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (c.name === name) out.push(c);
    descendants(c, name, out);
  }
  return out;
}

/** The exact source text of `el` in `doc`. */
export function sliceOf(doc: XmlDocument, el: XmlElement): string {
  return doc.text.slice(el.start, el.end);
}

/** Decodes a part's bytes as UTF-8 (BOM removed), reporting whether a BOM was present. */
export function decodePart(bytes: Uint8Array): { text: string; bom: boolean } {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return { text: new TextDecoder('utf-8').decode(bytes), bom };
}
