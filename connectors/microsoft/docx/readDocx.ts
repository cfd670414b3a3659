/**
 * readDocx: a .docx package to schema JSON, warnings, and the DocxSource a later patch needs. Pure apart
 * from CPU: no I/O. Hostile input ends in a ConversionError with a stable code.
 */
import { ConversionError } from '../../model/errors.ts';
import { validateDoc } from '../../model/schema.ts';
import { type ConversionWarning, WarningCollector } from '../../model/warnings.ts';
import { groupItems, hashItem, hashJson } from './blockHash.ts';
import { NumberingDefs } from './numberingDefs.ts';
import { W_NS } from './ooxmlNames.ts';
import { readBlocks } from './readBlocks.ts';
import type { ReadContext } from './readContext.ts';
import { noteNames, notesPart } from './readNotes.ts';
import { readRelationships, relsPartName } from './relationships.ts';
import { StyleSheet } from './styleSheet.ts';
import type { DocxSource, Json, SourceBlock } from './types.ts';
import { child, decodePart, parseXml, type XmlDocument } from './xmlTree.ts';
import { type ReadParts, unzipPackage } from './zipPackage.ts';

/** Result of readDocx. */
export interface ReadDocxResult {
  doc: Json;
  warnings: ConversionWarning[];
  source: DocxSource;
}

function partText(parts: ReadParts, name: string | undefined): string | undefined {
  const bytes = name === undefined ? undefined : parts.get(name);
  return bytes ? decodePart(bytes).text : undefined;
}

function parsePart(parts: ReadParts, name: string | undefined): XmlDocument | undefined {
  const text = partText(parts, name);
  return text === undefined || name === undefined ? undefined : parseXml(text, name);
}

/** Finds the main document part through the package relationships (falls back to word/document.xml). */
export function mainDocumentPart(parts: ReadParts): string {
  const rels = readRelationships('', partText(parts, '_rels/.rels'));
  for (const rel of rels.byId.values()) {
    if (rel.type === 'officeDocument' && rel.part && parts.has(rel.part)) return rel.part;
  }
  if (parts.has('word/document.xml')) return 'word/document.xml';
  throw new ConversionError('DOCX_NO_DOCUMENT', 'The package has no main document part');
}

/** Reads a .docx package. */
export function readDocx(bytes: Uint8Array): ReadDocxResult {
  const parts = unzipPackage(bytes);
  const documentPart = mainDocumentPart(parts);
  const { text, bom } = decodePart(parts.get(documentPart) as Uint8Array);
  const doc = parseXml(text, documentPart);
  const rels = readRelationships(documentPart, partText(parts, relsPartName(documentPart)));
  const relPart = (type: string) => [...rels.byId.values()].find((r) => r.type === type && !r.external)?.part;
  const warnings = new WarningCollector();
  const ctx: ReadContext = {
    doc,
    parts,
    documentPart,
    styles: new StyleSheet(parsePart(parts, relPart('styles'))),
    numbering: new NumberingDefs(parsePart(parts, relPart('numbering'))),
    rels,
    warnings,
    rootNamespaces: doc.root.decls ?? {},
    noteParts: {
      footnote: notesPart(parts, relPart('footnotes'), noteNames.footnote.note),
      endnote: notesPart(parts, relPart('endnotes'), noteNames.endnote.note),
    },
    notes: { footnote: 0, endnote: 0 },
    counters: new Map(),
    images: new Map(),
  };
  const body = child(doc.root, 'w:body');
  if (!body) throw new ConversionError('DOCX_NO_BODY', `${documentPart} has no w:body`);
  const bodyOpen = text.slice(body.start, body.end);
  const selfClosing = bodyOpen.endsWith('/>') && !bodyOpen.includes('</');
  const contentStart = selfClosing ? body.end : text.indexOf('>', body.start) + 1;
  const kids = body.children.filter((c) => typeof c !== 'string');
  const read = readBlocks(kids, contentStart, ctx);
  const syntheticEmpty = read.blocks.length === 0;
  const json: Json = { type: 'doc', content: syntheticEmpty ? [{ type: 'paragraph' }] : read.blocks };
  const canonical = validateDoc(json).toJSON() as Json;
  if (!syntheticEmpty) assignHashes(canonical.content ?? [], read.sources);
  const wUri = doc.root.decls?.w ?? Object.values(doc.root.decls ?? {}).find((u) => u === W_NS.strict) ?? '';
  const source: DocxSource = {
    parts,
    documentPart,
    documentXml: text,
    bom,
    head: text.slice(0, contentStart),
    tail: text.slice(read.end),
    blocks: read.sources,
    syntheticEmpty,
    strict: wUri === W_NS.strict,
    rootNamespaces: doc.root.decls ?? {},
  };
  return { doc: canonical, warnings: warnings.list(), source };
}

/** Fills the hashes of `sources` from the canonical JSON of the blocks they imported to. */
function assignHashes(blocks: Json[], sources: SourceBlock[]): void {
  if (blocks.length !== sources.length) return;
  blocks.forEach((block, i) => {
    const src = sources[i] as SourceBlock;
    src.hash = hashJson(block);
    if (src.items) {
      const items = groupItems(block);
      if (items.length === src.items.length) {
        items.forEach((it, k) => {
          (src.items?.[k] as { hash: string }).hash = hashItem(it);
        });
      }
    }
    if (src.table) {
      (block.content ?? []).forEach((row, r) => {
        const srcRow = src.table?.rows[r];
        (row.content ?? []).forEach((cell, c) => {
          const srcCell = srcRow?.cells[c];
          if (srcCell) assignHashes(cell.content ?? [], srcCell.blocks);
        });
      });
    }
  });
}
