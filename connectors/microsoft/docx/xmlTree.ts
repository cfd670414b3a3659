/**
 * A small element tree over saxes, built for OOXML: every element knows its character range in the source
 * string (so unchanged blocks can be copied verbatim), names are canonical (`w:p` in Transitional and Strict
 * alike), DOCTYPE is refused (no XXE, no entity expansion bombs) and nesting depth is capped.
 * We keep our own tree rather than a DOM because we need source ranges, which DOM parsers do not report.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';
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

/** Deepest element nesting accepted; real documents stay far below (tables in tables rarely pass 30). */
export const MAX_XML_DEPTH = 256;

/** Elements whose whitespace-only text is content; elsewhere such text is formatting and dropped. */
const textElements = new Set(['w:t', 'w:delText', 'w:instrText', 'w:delInstrText', 'm:t', 'a:t']);

function canonicalName(uri: string, local: string, prefix: string): string {
  if (uri === '') return local;
  const p = canonicalPrefix(uri);
  if (p) return `${p}:${local}`;
  return prefix ? `${prefix}:${local}` : `{${uri}}${local}`;
}

/**
 * Parses `xml` (a whole part, already decoded) into an XmlDocument. Throws ConversionError with code
 * XML_DOCTYPE_FORBIDDEN, NESTING_TOO_DEEP, INPUT_TRUNCATED or XML_MALFORMED. `partName` goes into messages.
 */
export function parseXml(xml: string, partName: string): XmlDocument {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let failure: ConversionError | undefined;

  parser.on('doctype', () => {
    throw new ConversionError('XML_DOCTYPE_FORBIDDEN', `${partName}: DOCTYPE declarations are refused`);
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    if (stack.length >= MAX_XML_DEPTH) {
      throw new ConversionError(
        'NESTING_TOO_DEEP',
        `${partName}: elements nested deeper than ${MAX_XML_DEPTH}`,
      );
    }
    const end = parser.position;
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
    // '<' cannot occur unescaped inside a start tag, so the last one before its end is where it began.
    const start = xml.lastIndexOf('<', end - 1);
    const el: XmlElement = {
      name: canonicalName(tag.uri, tag.local, tag.prefix),
      attrs,
      children: [],
      start,
      end,
    };
    if (decls) el.decls = decls;
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root = el;
    stack.push(el);
  });
  parser.on('closetag', () => {
    const el = stack.pop();
    if (el) el.end = parser.position;
  });
  parser.on('text', (text: string) => {
    const parent = stack[stack.length - 1];
    if (!parent) return;
    if (textElements.has(parent.name) || text.trim() !== '') parent.children.push(text);
  });
  parser.on('cdata', (text: string) => {
    stack[stack.length - 1]?.children.push(text);
  });
  parser.on('error', (err: Error) => {
    failure ??= classify(err, partName);
  });
  try {
    parser.write(xml).close();
  } catch (err) {
    if (err instanceof ConversionError) throw err;
    throw classify(err, partName);
  }
  if (failure) throw failure;
  if (!root) throw new ConversionError('INPUT_TRUNCATED', `${partName}: no root element`);
  return { root, text: xml };
}

function classify(err: unknown, partName: string): ConversionError {
  const message = err instanceof Error ? err.message : String(err);
  const truncated = /unclosed|unexpected end|document must contain a root/i.test(message);
  return new ConversionError(
    truncated ? 'INPUT_TRUNCATED' : 'XML_MALFORMED',
    `${partName}: ${truncated ? 'truncated XML' : 'malformed XML'} (${message})`,
    { cause: err },
  );
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
