/**
 * Everything the writer adds to a package besides document.xml: styles it needs and the package lacks,
 * list definitions, relationships (hyperlinks, images), media parts and content types. Existing parts are
 * edited by inserting new elements into their original text, so nothing already there changes.
 */

import { escapeXmlAttr } from '../../formats/safeXml.ts';
import { NumberingDefs } from './numberingDefs.ts';
import { relTypeUri } from './ooxmlNames.ts';
import {
  abstractNumXml,
  numberingPartXml,
  numXml,
  partContentTypes,
  type StyleRole,
  styleRoles,
  stylesPartXml,
  styleXml,
} from './packageTemplate.ts';
import {
  addRelationship,
  type RelationshipSet,
  readRelationships,
  relationshipsXml,
  relationshipXml,
  relsPartName,
} from './relationships.ts';
import { StyleSheet } from './styleSheet.ts';
import { appendInto, encodePart, insertBefore } from './xmlText.ts';
import { decodePart, elements, parseXml, type XmlDocument } from './xmlTree.ts';
import type { PackageParts } from './zipPackage.ts';

function parse(parts: PackageParts, name: string | undefined): XmlDocument | undefined {
  const bytes = name ? parts.get(name) : undefined;
  return bytes && name ? parseXml(decodePart(bytes).text, name) : undefined;
}

/** Mutable view of a package being written. */
export class PackageEditor {
  readonly rels: RelationshipSet;
  readonly styles: StyleSheet;
  readonly numbering: NumberingDefs;
  private readonly styleIds = new Map<StyleRole, string>();
  private readonly newStyles: string[] = [];
  private readonly newAbstracts: string[] = [];
  private readonly newNums: string[] = [];
  private nextNum: number;
  private nextAbstract: number;
  private readonly newDefaults = new Map<string, string>();
  private readonly pendingLevels = new Map<string, { formats: string[]; starts: number[] }>();
  private mediaCount = 0;
  private readonly newParts: { name: string; type: string }[] = [];
  private readonly stylesPart: string | undefined;
  private readonly numberingPart: string | undefined;

  constructor(
    readonly parts: PackageParts,
    readonly documentPart: string,
    readonly strict: boolean,
  ) {
    const relsBytes = parts.get(relsPartName(documentPart));
    this.rels = readRelationships(documentPart, relsBytes ? decodePart(relsBytes).text : undefined);
    const partOf = (type: string) =>
      [...this.rels.byId.values()].find((r) => r.type === type && !r.external)?.part;
    this.stylesPart = partOf('styles');
    this.numberingPart = partOf('numbering');
    this.styles = new StyleSheet(parse(parts, this.stylesPart));
    this.numbering = new NumberingDefs(parse(parts, this.numberingPart));
    const max = this.numbering.maxIds();
    this.nextNum = max.num + 1;
    this.nextAbstract = max.abstract + 1;
  }

  /** The style id to use for `role`, adding our definition to the package when it has none. */
  styleId(role: StyleRole): string {
    const known = this.styleIds.get(role);
    if (known) return known;
    const def = styleRoles[role];
    let id = def.names.map((n) => this.styles.idForName(n, def.type)).find((x) => x !== undefined);
    if (id === undefined) {
      id = def.id;
      for (let n = 2; this.styles.has(id); n++) id = `${def.id}${n}`;
      this.newStyles.push(styleXml(role, id));
    }
    this.styleIds.set(role, id);
    return id;
  }

  /** A new list instance whose levels have `formats` and `starts`; returns its numId. */
  newList(formats: string[], starts: number[]): string {
    const abstractId = this.nextAbstract++;
    const numId = this.nextNum++;
    this.pendingLevels.set(String(numId), { formats: [...formats], starts: [...starts] });
    this.newAbstracts.push(abstractNumXml(abstractId, formats, starts));
    this.newNums.push(numXml(numId, abstractId));
    return String(numId);
  }

  /** Level definition of a list instance created by this writer (not yet in numbering.xml). */
  pendingLevel(numId: string, depth: number): { format: string; start: number } | undefined {
    const p = this.pendingLevels.get(numId);
    return p ? { format: p.formats[depth] ?? 'bullet', start: p.starts[depth] ?? 1 } : undefined;
  }

  /** Relationship id for an external hyperlink target. */
  hyperlink(href: string): string {
    return addRelationship(this.rels, relTypeUri('hyperlink', this.strict), href, true);
  }

  /** Relationship id for an image: an existing media part with the same bytes, or a new one. */
  image(bytes: Uint8Array, ext: string, mime: string): string {
    for (const rel of this.rels.byId.values()) {
      if (rel.type !== 'image' || rel.external || !rel.part) continue;
      const existing = this.parts.get(rel.part);
      if (existing && existing.length === bytes.length && Buffer.compare(existing, bytes) === 0)
        return rel.id;
    }
    let name: string;
    do name = `word/media/docbridge${++this.mediaCount}.${ext}`;
    while (this.parts.has(name));
    this.parts.set(name, bytes);
    this.newDefaults.set(ext, mime);
    return addRelationship(this.rels, relTypeUri('image', this.strict), name.slice('word/'.length), false);
  }

  /** Relationship id for a linked (external) image. */
  linkedImage(url: string): string {
    return addRelationship(this.rels, relTypeUri('image', this.strict), url, true);
  }

  /**
   * Adds a part next to the main document (e.g. `word/footnotes.xml`), related to it by relationship type
   * `relType` and declared with `contentType`; returns its name.
   */
  addPart(fileName: string, contentType: string, relType: string, bytes: Uint8Array): string {
    const dir = this.documentPart.slice(0, this.documentPart.lastIndexOf('/') + 1);
    const name = `${dir}${fileName}`;
    this.parts.set(name, bytes);
    addRelationship(this.rels, relTypeUri(relType, this.strict), fileName, false);
    this.newParts.push({ name: `/${name}`, type: contentType });
    return name;
  }

  /** Writes every pending addition into the parts (styles, numbering, rels, content types). */
  finish(): void {
    const ctParts: { name: string; type: string }[] = [...this.newParts];
    if (this.newStyles.length) {
      const doc = parse(this.parts, this.stylesPart);
      if (doc && this.stylesPart)
        this.parts.set(this.stylesPart, encodePart(appendInto(doc, doc.root, this.newStyles.join(''))));
      else {
        this.parts.set('word/styles.xml', encodePart(stylesPartXml()));
        addRelationship(this.rels, relTypeUri('styles', this.strict), 'styles.xml', false);
        ctParts.push({ name: '/word/styles.xml', type: partContentTypes.styles as string });
      }
    }
    if (this.newNums.length) {
      const doc = parse(this.parts, this.numberingPart);
      if (doc && this.numberingPart) {
        const firstNum = elements(doc.root).find(
          (e) => e.name === 'w:num' || e.name === 'w:numIdMacAtCleanup',
        );
        let text = firstNum
          ? insertBefore(doc, firstNum, this.newAbstracts.join(''))
          : appendInto(doc, doc.root, this.newAbstracts.join(''));
        const reparsed = parseXml(text, this.numberingPart);
        const cleanup = elements(reparsed.root, 'w:numIdMacAtCleanup')[0];
        text = cleanup
          ? insertBefore(reparsed, cleanup, this.newNums.join(''))
          : appendInto(reparsed, reparsed.root, this.newNums.join(''));
        this.parts.set(this.numberingPart, encodePart(text));
      } else {
        this.parts.set(
          'word/numbering.xml',
          encodePart(numberingPartXml(this.newAbstracts.join('') + this.newNums.join(''))),
        );
        addRelationship(this.rels, relTypeUri('numbering', this.strict), 'numbering.xml', false);
        ctParts.push({ name: '/word/numbering.xml', type: partContentTypes.numbering as string });
      }
    }
    if (this.rels.added.length) {
      const relsName = relsPartName(this.documentPart);
      const doc = this.rels.doc;
      const text = doc
        ? appendInto(doc, doc.root, this.rels.added.map(relationshipXml).join(''))
        : relationshipsXml(this.rels.byId.values());
      this.parts.set(relsName, encodePart(text));
    }
    this.updateContentTypes(ctParts);
  }

  private updateContentTypes(overrides: { name: string; type: string }[]): void {
    if (overrides.length === 0 && this.newDefaults.size === 0) return;
    const doc = parse(this.parts, '[Content_Types].xml');
    if (!doc) return;
    const defaults = new Set(
      elements(doc.root, 'ct:Default').map((d) => (d.attrs.Extension ?? '').toLowerCase()),
    );
    const present = new Set(
      elements(doc.root, 'ct:Override').map((o) => (o.attrs.PartName ?? '').toLowerCase()),
    );
    let add = '';
    for (const [ext, mime] of this.newDefaults) {
      if (!defaults.has(ext.toLowerCase()))
        add += `<Default Extension="${escapeXmlAttr(ext)}" ContentType="${escapeXmlAttr(mime)}"/>`;
    }
    for (const o of overrides) {
      if (!present.has(o.name.toLowerCase()))
        add += `<Override PartName="${o.name}" ContentType="${o.type}"/>`;
    }
    if (add) this.parts.set('[Content_Types].xml', encodePart(appendInto(doc, doc.root, add)));
  }
}
