/**
 * Footnotes and endnotes of a .docx as schema `note` nodes: the reference run in the body becomes a note whose
 * content is the note's text from footnotes.xml / endnotes.xml (paragraphs joined by hard breaks). The payload
 * records the note id, the reference run's XML and the hash of the content read, so the writer keeps an
 * unedited note untouched and rewrites only an edited one.
 */

import { sealAtom } from '../../model/atomSeal.ts';
import { canonicalNoteContent } from '../../model/notes.ts';
import { hashJson } from './blockHash.ts';
import { type ReadContext, selfContained } from './readContext.ts';
import { readRelationships, relsPartName } from './relationships.ts';
import type { Json } from './types.ts';
import { decodePart, elements, parseXml, type XmlDocument, type XmlElement } from './xmlTree.ts';
import type { ReadParts } from './zipPackage.ts';

/** The two kinds of notes and their WordprocessingML names. */
export const noteNames = {
  footnote: {
    part: 'footnotes',
    root: 'w:footnotes',
    note: 'w:footnote',
    ref: 'w:footnoteReference',
    mark: 'w:footnoteRef',
  },
  endnote: {
    part: 'endnotes',
    root: 'w:endnotes',
    note: 'w:endnote',
    ref: 'w:endnoteReference',
    mark: 'w:endnoteRef',
  },
} as const;

/** What a docx note node carries in its payload (JSON). */
export interface DocxNotePayload {
  /** The `w:id` of the note in its part. */
  id: string;
  /** The reference run's original XML (self-contained). */
  ref: string;
  /** Hash of the note's content as read: equal hash = unedited. */
  hash: string;
}

/** One notes part, parsed, with its notes by id. */
export interface NotesPart {
  name: string;
  doc: XmlDocument;
  byId: Map<string, XmlElement>;
}

/** Parses the footnotes or endnotes part the main document refers to, if any. */
export function notesPart(
  parts: ReadParts,
  partName: string | undefined,
  noteName: string,
): NotesPart | undefined {
  const bytes = partName ? parts.get(partName) : undefined;
  if (!bytes || !partName) return undefined;
  const doc = parseXml(decodePart(bytes).text, partName);
  const byId = new Map<string, XmlElement>();
  for (const note of elements(doc.root, noteName)) byId.set(note.attrs['w:id'] ?? '', note);
  return { name: partName, doc, byId };
}

/** Keeps text (without links) and hard breaks; other inline nodes become their label text (warned). */
function flatten(nodes: Json[], ctx: ReadContext): Json[] {
  const out: Json[] = [];
  for (const node of nodes) {
    if (node.type === 'hardBreak') out.push(node);
    else if (node.type === 'text') {
      const marks = node.marks?.filter((m) => m.type !== 'link');
      if (marks?.length !== node.marks?.length)
        ctx.warnings.add('DOCX_NOTE_LINK_LOST', 'Links inside notes are read as plain text');
      out.push(marks?.length ? { ...node, marks } : { type: 'text', text: node.text });
    } else {
      if (
        node.type === 'atomInline' &&
        ['bookmark', 'bookmarkStart', 'bookmarkEnd'].includes(node.attrs?.kind)
      )
        continue;
      ctx.warnings.add(
        'DOCX_NOTE_CONTENT_FLATTENED',
        'Objects inside notes are read as their text (the note keeps them until it is edited)',
      );
      const label = node.type === 'atomInline' ? String(node.attrs?.label ?? '') : '';
      if (label) out.push({ type: 'text', text: label });
    }
  }
  return out;
}

/**
 * The `note` node for reference `ref` (a `w:footnoteReference`/`w:endnoteReference` in run XML `runXml`),
 * or undefined when the package has no such note. `readParagraph` reads one note paragraph's inline content
 * against the context it is given.
 */
export function readNote(
  kind: 'footnote' | 'endnote',
  ref: XmlElement,
  runXml: string,
  ctx: ReadContext,
  readParagraph: (p: XmlElement, ctx: ReadContext, out: Json[]) => void,
): Json | undefined {
  const part = ctx.noteParts?.[kind];
  const id = ref.attrs['w:id'] ?? '';
  const note = part?.byId.get(id);
  if (!part || !note) return undefined;
  const rels = readRelationships(part.name, partText(ctx.parts, relsPartName(part.name)));
  const noteCtx: ReadContext = { ...ctx, doc: part.doc, rels, documentPart: part.name };
  const content: Json[] = [];
  elements(note, 'w:p').forEach((p, index) => {
    if (index > 0) content.push({ type: 'hardBreak' });
    const inline: Json[] = [];
    readParagraph(p, noteCtx, inline);
    content.push(...flatten(inline, ctx));
  });
  // Word separates the note mark from the text by one space, written again when a note is regenerated.
  const first = content[0];
  if (first?.type === 'text' && first.text?.startsWith(' ')) {
    if (first.text.length === 1) content.shift();
    else content[0] = { ...first, text: first.text.slice(1) };
  }
  const canonical = canonicalNoteContent(kind, content);
  const payload: DocxNotePayload = { id, ref: selfContained(runXml, ctx), hash: hashJson(canonical) };
  return {
    type: 'note',
    attrs: {
      kind,
      source: 'docx',
      payload: JSON.stringify(payload),
      seal: sealAtom('docx', JSON.stringify(payload)),
    },
    ...(canonical.length ? { content: canonical } : {}),
  };
}

function partText(parts: ReadParts, name: string): string | undefined {
  const bytes = parts.get(name);
  return bytes ? decodePart(bytes).text : undefined;
}
