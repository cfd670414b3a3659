/**
 * Writing XML text: escaping, and inserting children into an existing part without re-serialising it
 * (so everything we do not touch stays byte for byte).
 */
import type { XmlDocument, XmlElement } from './xmlTree.ts';

// Characters XML 1.0 forbids; they cannot be written at all, so they are removed (the caller warns).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const forbiddenChars = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** True when `s` holds characters XML cannot carry. */
export function hasForbiddenChars(s: string): boolean {
  forbiddenChars.lastIndex = 0;
  return forbiddenChars.test(s);
}

/** Escapes text content (and drops characters XML forbids). */
export function escapeText(s: string): string {
  return s.replace(forbiddenChars, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes an attribute value (double-quoted). */
export function escapeAttr(s: string): string {
  return escapeText(s)
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

/** `name="value"` pairs for an open tag, skipping undefined values. */
export function attrs(pairs: Record<string, string | number | undefined>): string {
  let out = '';
  for (const [k, v] of Object.entries(pairs)) if (v !== undefined) out += ` ${k}="${escapeAttr(String(v))}"`;
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
