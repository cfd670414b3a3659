/**
 * Writing into OOXML parts: attribute lists, and inserting children into an existing part without
 * re-serialising it (so everything we do not touch stays byte for byte). Escaping is the one XML layer's
 * (`formats/safeXml.ts`).
 */
import { escapeXmlAttr } from '../../formats/safeXml.ts';
import type { XmlDocument, XmlElement } from './xmlTree.ts';

/** `name="value"` pairs for an open tag, skipping undefined values. */
export function attrs(pairs: Record<string, string | number | undefined>): string {
  let out = '';
  for (const [k, v] of Object.entries(pairs))
    if (v !== undefined) out += ` ${k}="${escapeXmlAttr(String(v))}"`;
  return out;
}

/** ` xmlns:p="uri"` declarations for every prefixed namespace of `ns` (the default namespace is left out). */
export function prefixDeclarations(ns: Record<string, string>): string {
  let out = '';
  for (const [prefix, uri] of Object.entries(ns))
    if (prefix !== '') out += ` xmlns:${prefix}="${escapeXmlAttr(uri)}"`;
  return out;
}

/** Returns `doc.text` with `fragment` inserted as the last children of element `el` (self-closing handled). */
export function appendInto(doc: XmlDocument, el: XmlElement, fragment: string): string {
  const text = doc.text;
  const open = text.slice(el.start, el.end);
  if (open.endsWith('/>')) {
    const tagName = open.slice(1).split(/[\s/>]/, 1)[0] ?? '';
    const expanded = `${open.slice(0, -2)}>${fragment}</${tagName}>`;
    return text.slice(0, el.start) + expanded + text.slice(el.end);
  }
  const closeAt = text.lastIndexOf('<', el.end - 1);
  return text.slice(0, closeAt) + fragment + text.slice(closeAt);
}

/** Returns `doc.text` with `fragment` inserted right before element `el`. */
export function insertBefore(doc: XmlDocument, el: XmlElement, fragment: string): string {
  return doc.text.slice(0, el.start) + fragment + doc.text.slice(el.start);
}

/** Encodes XML text as UTF-8, with a BOM when the original part had one. */
export function encodePart(text: string, bom = false): Uint8Array {
  const body = new TextEncoder().encode(text);
  if (!bom) return body;
  const out = new Uint8Array(body.length + 3);
  out.set([0xef, 0xbb, 0xbf]);
  out.set(body, 3);
  return out;
}
