/**
 * Shared by the docx tests: the fixture list (read in place from ../shared/fixtures/docx, never copied), the
 * plain-text extraction of a schema document that is compared with LibreOffice's, and helpers to edit a doc.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { JSONContent } from '@tiptap/core';

/**
 * Folder of the shared docx fixtures: `docx/` of `DOCBRIDGE_FIXTURES_DIR` when set, else the shared corpus
 * beside the repository (`../shared/fixtures/docx` from the project root), wherever it is checked out.
 */
export const fixtureRoot = process.env.DOCBRIDGE_FIXTURES_DIR
  ? path.resolve(process.env.DOCBRIDGE_FIXTURES_DIR, 'docx')
  : path.resolve(import.meta.dirname, '../../../../shared/fixtures/docx');

/** Every fixture: `{ name: 'folder/file.docx', file: absolute path }`. */
export function fixtures(): { name: string; file: string }[] {
  const out: { name: string; file: string }[] = [];
  for (const dir of readdirSync(fixtureRoot, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const f of readdirSync(path.join(fixtureRoot, dir.name)).sort()) {
      if (f.endsWith('.docx'))
        out.push({ name: `${dir.name}/${f}`, file: path.join(fixtureRoot, dir.name, f) });
    }
  }
  return out;
}

/** Atom kinds whose label is text a reader of the document sees (LibreOffice prints them too). */
const textualAtoms = new Set([
  'footnote',
  'endnote',
  'field',
  'contentControl',
  'insertion',
  'textBox',
  'symbol',
  'equation',
  'unknown',
]);

/** One extracted line; `listItem` marks lines LibreOffice prefixes with a bullet or number. */
export interface TextLine {
  text: string;
  listItem: boolean;
}

/**
 * Text of a schema document, the way LibreOffice's "Text" export lays it out: one line per paragraph,
 * heading, list paragraph and table-cell paragraph (document order, cells row by row); a hard break starts a
 * new line; a code block gives one line per line; a horizontal rule an empty line; a block atom its label
 * lines; inline atoms contribute their label when it is visible text (note numbers, field results, content
 * controls, insertions, text boxes, symbols, equations) and nothing otherwise (bookmarks, comment anchors,
 * deletions, breaks); images contribute nothing.
 */
export function docText(doc: JSONContent, omitAtomKinds: string[] = []): TextLine[] {
  const lines: TextLine[] = [];
  const inline = (nodes: JSONContent[] | undefined, listItem: boolean) => {
    let line = '';
    for (const n of nodes ?? []) {
      if (n.type === 'text') line += n.text ?? '';
      else if (n.type === 'hardBreak') {
        lines.push({ text: line, listItem });
        line = '';
        listItem = false;
      } else if (
        n.type === 'atomInline' &&
        textualAtoms.has(String(n.attrs?.kind)) &&
        !omitAtomKinds.includes(String(n.attrs?.kind))
      )
        line += String(n.attrs?.label ?? '');
    }
    lines.push({ text: line, listItem });
  };
  const block = (b: JSONContent, listItem: boolean) => {
    switch (b.type) {
      case 'paragraph':
      case 'heading':
        inline(b.content, listItem);
        break;
      case 'codeBlock':
        for (const l of (b.content ?? [])
          .map((t) => t.text ?? '')
          .join('')
          .split('\n'))
          lines.push({ text: l, listItem: false });
        break;
      case 'horizontalRule':
        lines.push({ text: '', listItem: false });
        break;
      case 'atomBlock':
        for (const l of String(b.attrs?.label ?? '').split('\n')) lines.push({ text: l, listItem: false });
        break;
      case 'bulletList':
      case 'orderedList':
        for (const item of b.content ?? []) {
          (item.content ?? []).forEach((c, i) => {
            block(c, i === 0);
          });
        }
        break;
      default:
        for (const c of b.content ?? []) block(c, false);
    }
  };
  for (const b of doc.content ?? []) block(b, false);
  return lines;
}

/** Whitespace normalisation applied to both sides: runs of white space to one space, trimmed. */
export function normaliseLine(s: string): string {
  return s.replace(/[\s\u00a0\u00ad\u200b\ufeff]+/g, ' ').trim();
}

/** A list label as LibreOffice prints it before a list paragraph: a bullet or a number/letter with `.` or `)`. */
const listLabel =
  /^(?:[\u2022\u25e6\u25aa\u25cf\u25cb\u25a0\u2013\u2014\u2023\u2043\uf0b7\uf0a7\uf0d8\uf0fc*o\-–]|[0-9]+[.)]|[a-zA-Z]{1,5}[.)]) ?/;

/** Compares our lines with LibreOffice's text; returns the first mismatch, or undefined when equal. */
export function compareText(ours: TextLine[], libre: string): string | undefined {
  const mine = ours.map((l) => ({ ...l, text: normaliseLine(l.text) })).filter((l) => l.text !== '');
  const theirs = libre
    .split(/\r?\n/)
    .map(normaliseLine)
    .filter((l) => l !== '');
  for (let i = 0; i < Math.max(mine.length, theirs.length); i++) {
    const m = mine[i];
    const t = theirs[i];
    if (m === undefined || t === undefined)
      return `line ${i}: ours ${JSON.stringify(m?.text)} vs LibreOffice ${JSON.stringify(t)}`;
    if (m.text === t) continue;
    if (m.listItem && t.replace(listLabel, '') === m.text) continue;
    return `line ${i}: ours ${JSON.stringify(m.text)} vs LibreOffice ${JSON.stringify(t)}`;
  }
  return undefined;
}

/**
 * A copy of `doc` with one block edited: the first top-level paragraph with text gets ` (edited)` appended,
 * or, when there is none, a new paragraph is appended at the end. `index` is the edited block's index.
 */
export function editOneBlock(doc: JSONContent): { doc: JSONContent; index: number; appended: boolean } {
  const copy = structuredClone(doc);
  const content = copy.content ?? [];
  const index = content.findIndex(
    (b) => b.type === 'paragraph' && (b.content ?? []).some((n) => n.type === 'text'),
  );
  if (index < 0) {
    content.push({
      type: 'paragraph',
      attrs: { blockStyle: null },
      content: [{ type: 'text', text: 'Added (edited)' }],
    });
    return { doc: copy, index: content.length - 1, appended: true };
  }
  const para = content[index] as JSONContent;
  para.content = [...(para.content ?? []), { type: 'text', text: ' (edited)' }];
  return { doc: copy, index, appended: false };
}
