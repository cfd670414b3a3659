/**
 * State shared while one document is read: the parsed parts the body refers to, running counters (note
 * numbers, list numbering) and the warning collector. Also the atom constructor every reader module uses.
 */

import { SaxesParser } from 'saxes';
import { sealAtom } from '../../model/atomSeal.ts';
import type { WarningCollector } from '../../model/warnings.ts';
import type { NumberingDefs } from './numberingDefs.ts';
import type { NotesPart } from './readNotes.ts';
import type { RelationshipSet } from './relationships.ts';
import type { StyleSheet } from './styleSheet.ts';
import type { Json } from './types.ts';
import { prefixDeclarations } from './xmlText.ts';
import type { XmlDocument, XmlElement } from './xmlTree.ts';
import type { ReadParts } from './zipPackage.ts';

/** Everything the reader modules need about the package being read. */
export interface ReadContext {
  doc: XmlDocument;
  parts: ReadParts;
  documentPart: string;
  styles: StyleSheet;
  numbering: NumberingDefs;
  rels: RelationshipSet;
  warnings: WarningCollector;
  rootNamespaces: Record<string, string>;
  /** The footnotes and endnotes parts, when the package has them. */
  noteParts?: { footnote?: NotesPart; endnote?: NotesPart };
  /** Footnote and endnote references seen so far (their automatic numbers). */
  notes: { footnote: number; endnote: number };
  /** Per numId, the count of numbered paragraphs seen at each level (Word continues numbering). */
  counters: Map<string, number[]>;
  images: Map<string, string>;
}

/** The source text of `el`. */
export function slice(ctx: ReadContext, el: XmlElement): string {
  return ctx.doc.text.slice(el.start, el.end);
}

/**
 * Makes a fragment parse on its own: the namespace declarations of the document root that the fragment
 * relies on (prefixes it uses without declaring them, found by parsing it) are added to its first element, so
 * the atom can be written into another package too. Idempotent: a self-contained fragment is returned as is.
 */
export function selfContained(fragment: string, ctx: ReadContext): string {
  // For each top-level element: where its name ends, and the prefixes it (or its content) uses unbound.
  const tops: { nameEnd: number; unbound: Set<string> }[] = [];
  let depth = 0;
  const parser = new SaxesParser({
    xmlns: true,
    fragment: true,
    resolvePrefix: (prefix: string) => {
      tops[tops.length - 1]?.unbound.add(prefix);
      return ctx.rootNamespaces[prefix] ?? `urn:unbound:${prefix}`;
    },
  });
  parser.on('opentagstart', (tag) => {
    if (depth === 0) {
      const start = fragment.lastIndexOf('<', parser.position - 1);
      tops.push({ nameEnd: start + 1 + tag.name.length, unbound: new Set() });
    }
  });
  parser.on('opentag', (tag) => {
    if (!tag.isSelfClosing) depth++;
  });
  parser.on('closetag', (tag) => {
    if (!tag.isSelfClosing) depth--;
  });
  parser.on('doctype', () => {
    throw new Error('doctype');
  });
  try {
    parser.write(fragment).close();
  } catch {
    return fragment;
  }
  let out = '';
  let from = 0;
  for (const top of tops) {
    const bound = [...top.unbound].filter(
      (prefix) => prefix !== 'xml' && ctx.rootNamespaces[prefix] !== undefined,
    );
    const decls = prefixDeclarations(
      Object.fromEntries(bound.map((prefix) => [prefix, ctx.rootNamespaces[prefix]!])),
    );
    out += fragment.slice(from, top.nameEnd) + decls;
    from = top.nameEnd;
  }
  return out + fragment.slice(from);
}

/** An opaque inline atom carrying `payload` (original XML) for the docx writer. */
export function inlineAtom(kind: string, label: string, payload: string, ctx: ReadContext): Json {
  return { type: 'atomInline', attrs: docxAtomAttrs(kind, label, selfContained(payload, ctx)) };
}

/** An opaque block atom carrying `payload` (original XML of one or more body children). */
export function blockAtom(kind: string, label: string, payload: string, ctx: ReadContext): Json {
  return { type: 'atomBlock', attrs: docxAtomAttrs(kind, label, selfContained(payload, ctx)) };
}

/** Attributes of a docx atom, stamped as made by this reader. */
function docxAtomAttrs(kind: string, label: string, payload: string) {
  return { kind, label, source: 'docx', payload, seal: sealAtom('docx', payload) };
}

/**
 * The text a reader sees in `el`: `w:t`/`m:t` text and tabs, one line per paragraph, skipping tracked
 * deletions, field instructions and the fallback branch of markup-compatibility blocks.
 */
export function visibleText(el: XmlElement): string {
  const lines: string[] = [];
  let line = '';
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (typeof c === 'string') {
        if (e.name === 'w:t' || e.name === 'm:t') line += c;
        continue;
      }
      if (c.name === 'w:del' || c.name === 'w:moveFrom' || c.name === 'mc:Fallback') continue;
      if (c.name === 'w:tab') line += '\t';
      else if (c.name === 'w:p') {
        if (line !== '') lines.push(line);
        line = '';
        walk(c);
        lines.push(line);
        line = '';
      } else walk(c);
    }
  };
  walk(el);
  if (line !== '') lines.push(line);
  return lines.join('\n');
}
