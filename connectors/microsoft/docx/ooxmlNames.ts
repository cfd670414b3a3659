/**
 * Namespace URIs of WordprocessingML and their canonical prefixes. Transitional and Strict OOXML use different
 * URIs for the same vocabulary; the reader names every element by canonical prefix (`w:p`, `r:id`) so one code
 * path reads both, whatever prefixes the producer chose.
 */
const canonical: Record<string, string> = {
  'http://schemas.openxmlformats.org/wordprocessingml/2006/main': 'w',
  'http://purl.oclc.org/ooxml/wordprocessingml/main': 'w',
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships': 'r',
  'http://purl.oclc.org/ooxml/officeDocument/relationships': 'r',
  'http://schemas.openxmlformats.org/officeDocument/2006/math': 'm',
  'http://purl.oclc.org/ooxml/officeDocument/math': 'm',
  'http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing': 'wp',
  'http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing': 'wp',
  'http://schemas.openxmlformats.org/drawingml/2006/main': 'a',
  'http://purl.oclc.org/ooxml/drawingml/main': 'a',
  'http://schemas.openxmlformats.org/drawingml/2006/picture': 'pic',
  'http://purl.oclc.org/ooxml/drawingml/picture': 'pic',
  'http://schemas.openxmlformats.org/markup-compatibility/2006': 'mc',
  'urn:schemas-microsoft-com:vml': 'v',
  'http://schemas.openxmlformats.org/package/2006/relationships': 'pr',
  'http://schemas.openxmlformats.org/package/2006/content-types': 'ct',
  'http://www.w3.org/XML/1998/namespace': 'xml',
};

/** Canonical prefix for a namespace URI, or undefined for vocabularies the reader does not interpret. */
export function canonicalPrefix(uri: string): string | undefined {
  return canonical[uri];
}

/** Main WordprocessingML namespace URIs, Transitional then Strict. */
export const W_NS = {
  transitional: 'http://schemas.openxmlformats.org/wordprocessingml/2006/main',
  strict: 'http://purl.oclc.org/ooxml/wordprocessingml/main',
} as const;

/** Relationship namespace URIs (for `r:id`), Transitional then Strict. */
export const R_NS = {
  transitional: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  strict: 'http://purl.oclc.org/ooxml/officeDocument/relationships',
} as const;

/** Namespace declarations put on the root of a document.xml we create, so atoms from other files still parse. */
export const standardDocumentNamespaces: Record<string, string> = {
  wpc: 'http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas',
  mc: 'http://schemas.openxmlformats.org/markup-compatibility/2006',
  o: 'urn:schemas-microsoft-com:office:office',
  r: R_NS.transitional,
  m: 'http://schemas.openxmlformats.org/officeDocument/2006/math',
  v: 'urn:schemas-microsoft-com:vml',
  wp14: 'http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing',
  wp: 'http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing',
  w10: 'urn:schemas-microsoft-com:office:word',
  w: W_NS.transitional,
  w14: 'http://schemas.microsoft.com/office/word/2010/wordml',
  w15: 'http://schemas.microsoft.com/office/word/2012/wordml',
  wpg: 'http://schemas.microsoft.com/office/word/2010/wordprocessingGroup',
  wpi: 'http://schemas.microsoft.com/office/word/2010/wordprocessingInk',
  wne: 'http://schemas.microsoft.com/office/word/2006/wordml',
  wps: 'http://schemas.microsoft.com/office/word/2010/wordprocessingShape',
  a: 'http://schemas.openxmlformats.org/drawingml/2006/main',
  pic: 'http://schemas.openxmlformats.org/drawingml/2006/picture',
};

/** The last path segment of a relationship type, the same in Transitional and Strict (`hyperlink`, `image`). */
export function relTypeName(type: string): string {
  return type.slice(type.lastIndexOf('/') + 1);
}

/** Full relationship type URI for `name` in the flavour of the package being patched. */
export function relTypeUri(name: string, strict: boolean): string {
  if (name === 'core-properties') {
    return 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties';
  }
  return strict
    ? `http://purl.oclc.org/ooxml/officeDocument/relationships/${name}`
    : `http://schemas.openxmlformats.org/officeDocument/2006/relationships/${name}`;
}
