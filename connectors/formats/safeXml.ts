/**
 * The one XML layer: parsing XML that may come from anyone (parts of .odt and .docx packages) into a small
 * element tree, with saxes (a conformant non-validating parser) underneath, and escaping text for XML.
 * `parseXml` builds the generic tree (ODF); `parseXmlWith` lets a format build its own (OOXML's canonical
 * names, `microsoft/docx/xmlTree.ts`) under the same protections.
 *
 * Refuses, with a ConversionError: any DOCTYPE (`XML_DOCTYPE_FORBIDDEN`: no external entities, no entity
 * expansion bombs), malformed XML or undefined entities (`XML_MALFORMED`), bytes that are not valid UTF-8/16
 * (`XML_ENCODING_INVALID`), nesting deeper than the limit (`NESTING_TOO_DEEP`) and more elements than the
 * limit (`XML_TOO_LARGE`).
 *
 * Every element records `start`/`end`, the offsets of its source text in the parsed string, so a writer
 * can copy an unchanged element back byte for byte with `source.slice(el.start, el.end)`.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { ConversionError } from '../model/errors.ts';

/** One attribute, with its namespace resolved. */
export interface XmlAttribute {
  /** Qualified name as written, e.g. `text:style-name`. */
  name: string;
  local: string;
  uri: string;
  value: string;
}

/** An element; match on `uri` + `local` (prefixes are the author's choice). */
export interface XmlElement {
  type: 'element';
  /** Qualified name as written, e.g. `text:p`. */
  name: string;
  local: string;
  uri: string;
  attributes: XmlAttribute[];
  children: XmlNode[];
  /** Offset of the `<` that opens the element in the parsed string. */
  start: number;
  /** Offset just after the `>` that closes the element (or the self-closing tag). */
  end: number;
}

/** Character data (text and CDATA sections, entities decoded). */
export interface XmlText {
  type: 'text';
  text: string;
}

/** A node of the tree: comments and processing instructions are dropped. */
export type XmlNode = XmlElement | XmlText;

/** Limits of `parseXml`. */
export interface XmlLimits {
  /** Deepest accepted element nesting (default 256). */
  maxDepth: number;
  /** Most accepted elements (default 2,000,000). */
  maxElements: number;
}

/** Default limits of `parseXml`. */
export const defaultXmlLimits: XmlLimits = { maxDepth: 256, maxElements: 2_000_000 };

/**
 * Decodes an XML part's bytes: UTF-8 (with or without BOM) or UTF-16 with a BOM, refusing invalid bytes.
 * Kept apart from `parseXml` so a caller can keep the decoded string for byte-for-byte slicing.
 */
export function decodeXmlBytes(bytes: Uint8Array): string {
  let encoding = 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = 'utf-16be';
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch (err) {
    throw new ConversionError('XML_ENCODING_INVALID', `XML part is not valid ${encoding}`, { cause: err });
  }
}

/**
 * How `parseXmlWith` builds a tree: one call per element (`parent` undefined for the root) with its start tag
 * and the `[start, end)` source range known so far, one per run of character data, and one when an element
 * closes (with its final end). Lets a format keep its own element shape (OOXML's canonical names) while the
 * parsing and its protections stay here, in one place.
 */
export interface XmlTreeBuilder<E> {
  open(tag: SaxesTagNS, start: number, end: number, parent: E | undefined): E;
  text(parent: E, text: string): void;
  close(element: E, end: number): void;
}

/**
 * Parses a whole XML document (already decoded) with `builder`, refusing a DOCTYPE, malformed XML, undefined
 * entities, nesting deeper than `maxDepth` and more than `maxElements` elements (ConversionError), and returns
 * the root the builder made.
 */
export function parseXmlWith<E>(
  text: string,
  builder: XmlTreeBuilder<E>,
  limits: Partial<XmlLimits> = {},
): E {
  const { maxDepth, maxElements } = { ...defaultXmlLimits, ...limits };
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: E[] = [];
  let root: E | undefined;
  let elementCount = 0;
  const appendText = (value: string) => {
    const parent = stack[stack.length - 1];
    if (parent !== undefined && value.length > 0) builder.text(parent, value);
  };
  parser.on('doctype', () => {
    throw new ConversionError('XML_DOCTYPE_FORBIDDEN', 'XML with a DOCTYPE is refused');
  });
  parser.on('opentag', (tag) => {
    elementCount += 1;
    if (elementCount > maxElements)
      throw new ConversionError('XML_TOO_LARGE', `More than ${maxElements} elements`);
    if (stack.length >= maxDepth)
      throw new ConversionError('NESTING_TOO_DEEP', `XML nests deeper than ${maxDepth}`);
    const end = parser.position;
    // '<' cannot occur unescaped inside a start tag, so the last one before its end is where it began.
    const element = builder.open(tag, text.lastIndexOf('<', end - 1), end, stack[stack.length - 1]);
    root ??= element;
    if (!tag.isSelfClosing) stack.push(element);
  });
  parser.on('closetag', (tag) => {
    const element = stack[stack.length - 1];
    if (element !== undefined && !tag.isSelfClosing) {
      builder.close(element, parser.position);
      stack.pop();
    }
  });
  parser.on('text', appendText);
  parser.on('cdata', appendText);
  parser.on('error', (err) => {
    throw new ConversionError('XML_MALFORMED', `Malformed XML: ${err.message}`, { cause: err });
  });
  try {
    parser.write(text).close();
  } catch (err) {
    if (err instanceof ConversionError) throw err;
    throw new ConversionError('XML_MALFORMED', `Malformed XML: ${err instanceof Error ? err.message : err}`, {
      cause: err,
    });
  }
  if (root === undefined) throw new ConversionError('XML_MALFORMED', 'XML has no root element');
  return root;
}

/** The generic tree: names as written with their namespace resolved, attributes in order, text merged. */
const elementTree: XmlTreeBuilder<XmlElement> = {
  open(tag, start, end, parent) {
    const element: XmlElement = {
      type: 'element',
      name: tag.name,
      local: tag.local,
      uri: tag.uri,
      attributes: Object.values(tag.attributes).map((a) => ({
        name: a.name,
        local: a.local,
        uri: a.uri,
        value: a.value,
      })),
      children: [],
      start,
      end,
    };
    parent?.children.push(element);
    return element;
  },
  text(parent, value) {
    const last = parent.children[parent.children.length - 1];
    if (last?.type === 'text') last.text += value;
    else parent.children.push({ type: 'text', text: value });
  },
  close(element, end) {
    element.end = end;
  },
};

/** Parses a whole XML document (string or bytes) and returns its root element. */
export function parseXml(input: string | Uint8Array, limits: Partial<XmlLimits> = {}): XmlElement {
  const text = typeof input === 'string' ? input : decodeXmlBytes(input);
  return parseXmlWith(text, elementTree, limits);
}

/** The value of the attribute `uri`+`local` of `element`, or undefined. */
export function getAttr(element: XmlElement, uri: string, local: string): string | undefined {
  return element.attributes.find((a) => a.local === local && a.uri === uri)?.value;
}

/** The element children of `element`, optionally only those named `uri`+`local`. */
export function childElements(element: XmlElement, uri?: string, local?: string): XmlElement[] {
  return element.children.filter(
    (c): c is XmlElement =>
      c.type === 'element' &&
      (uri === undefined || c.uri === uri) &&
      (local === undefined || c.local === local),
  );
}

/** The first element child named `uri`+`local`, or undefined. */
export function firstChild(element: XmlElement, uri: string, local: string): XmlElement | undefined {
  return childElements(element, uri, local)[0];
}

/** All text below `element`, concatenated in document order. */
export function textContent(node: XmlNode): string {
  if (node.type === 'text') return node.text;
  return node.children.map(textContent).join('');
}

// Characters XML 1.0 forbids (C0 controls except tab/newline/return, lone surrogates, U+FFFE/U+FFFF).
const FORBIDDEN_XML_CHARS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching the characters XML forbids is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text content for XML, dropping characters that XML 1.0 cannot hold at all. */
export function escapeXmlText(value: string): string {
  return value
    .replace(FORBIDDEN_XML_CHARS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Escapes an attribute value for XML (double-quoted), keeping tabs and newlines as character references. */
export function escapeXmlAttr(value: string): string {
  return escapeXmlText(value)
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}
