/**
 * OPC relationships (`*.rels`): reading them, resolving targets to part names, and adding new ones (hyperlinks,
 * images) to an existing rels part without touching the ones already there.
 */

import { escapeXmlAttr } from '../../formats/safeXml.ts';
import { relTypeName } from './ooxmlNames.ts';
import { elements, parseXml, type XmlDocument } from './xmlTree.ts';

/** One relationship; `part` is the resolved part name for internal targets. */
export interface Relationship {
  id: string;
  /** Last segment of the type URI (`hyperlink`, `image`, `styles`...), flavour-neutral. */
  type: string;
  typeUri: string;
  target: string;
  external: boolean;
  part?: string;
}

/** Name of the rels part that belongs to `partName` (`word/document.xml` -> `word/_rels/document.xml.rels`). */
export function relsPartName(partName: string): string {
  const slash = partName.lastIndexOf('/');
  return `${partName.slice(0, slash + 1)}_rels/${partName.slice(slash + 1)}.rels`;
}

/** Resolves a relationship target against the folder of its source part, to a part name without leading '/'. */
export function resolveTarget(sourcePart: string, target: string): string {
  const decoded = safeDecode(target.split('#')[0] ?? '');
  if (decoded.startsWith('/')) return decoded.slice(1);
  const segs = sourcePart.split('/').slice(0, -1);
  for (const seg of decoded.split('/')) {
    if (seg === '..') segs.pop();
    else if (seg !== '.' && seg !== '') segs.push(seg);
  }
  return segs.join('/');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Parsed rels of one part, keeping the parse so new relationships can be appended verbatim. */
export interface RelationshipSet {
  doc: XmlDocument | undefined;
  byId: Map<string, Relationship>;
  added: Relationship[];
}

/** Reads a rels part (missing part = empty set). */
export function readRelationships(sourcePart: string, xml: string | undefined): RelationshipSet {
  const byId = new Map<string, Relationship>();
  if (xml === undefined) return { doc: undefined, byId, added: [] };
  const doc = parseXml(xml, relsPartName(sourcePart));
  for (const el of elements(doc.root, 'pr:Relationship')) {
    const id = el.attrs.Id ?? '';
    const target = el.attrs.Target ?? '';
    const external = el.attrs.TargetMode === 'External';
    const rel: Relationship = {
      id,
      type: relTypeName(el.attrs.Type ?? ''),
      typeUri: el.attrs.Type ?? '',
      target,
      external,
    };
    if (!external) rel.part = resolveTarget(sourcePart, target);
    byId.set(id, rel);
  }
  return { doc, byId, added: [] };
}

/** Adds a relationship (or returns the id of an identical one) and returns its id. */
export function addRelationship(
  set: RelationshipSet,
  typeUri: string,
  target: string,
  external: boolean,
): string {
  for (const rel of set.byId.values()) {
    if (rel.typeUri === typeUri && rel.target === target && rel.external === external) return rel.id;
  }
  let n = set.byId.size + 1;
  while (set.byId.has(`rId${n}`)) n += 1;
  const rel: Relationship = { id: `rId${n}`, type: relTypeName(typeUri), typeUri, target, external };
  set.byId.set(rel.id, rel);
  set.added.push(rel);
  return rel.id;
}

/** The XML of one Relationship element. */
export function relationshipXml(rel: Relationship): string {
  const mode = rel.external ? ' TargetMode="External"' : '';
  return `<Relationship Id="${escapeXmlAttr(rel.id)}" Type="${escapeXmlAttr(rel.typeUri)}" Target="${escapeXmlAttr(rel.target)}"${mode}/>`;
}

/** Serialises a fresh rels part holding `rels`. */
export function relationshipsXml(rels: Iterable<Relationship>): string {
  let body = '';
  for (const rel of rels) body += relationshipXml(rel);
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${body}</Relationships>`;
}
