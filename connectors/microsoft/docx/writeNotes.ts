/**
 * Writes schema `note` nodes into a .docx: each note's reference run in the body and its text in
 * footnotes.xml / endnotes.xml. A note read from the package being patched keeps its id; unedited, its XML
 * stays byte for byte; edited, only that note element is rewritten (keeping its paragraph properties and
 * mark run). New notes (typed in another suite, or a note copied twice) get fresh ids; a package without a
 * notes part gets one, with the separator notes Word expects.
 */

import { isSealed } from '../../model/atomSeal.ts';
import { canonicalNoteContent } from '../../model/notes.ts';
import { hashJson } from './blockHash.ts';
import { W_NS } from './ooxmlNames.ts';
import type { PackageEditor } from './packageEditor.ts';
import { type DocxNotePayload, type NotesPart, noteNames, notesPart } from './readNotes.ts';
import type { Json } from './types.ts';
import type { WriteContext } from './writeContext.ts';
import { encodePart } from './xmlText.ts';
import { child, descendants, elements, parseXml, type XmlElement } from './xmlTree.ts';

type Kind = keyof typeof noteNames;

const contentTypes: Record<Kind, string> = {
  footnote: 'application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml',
  endnote: 'application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml',
};

interface KindState {
  part: NotesPart | undefined;
  /** Rewritten notes by id: their new XML. */
  replaced: Map<string, string>;
  added: string[];
  used: Set<string>;
  nextId: number;
}

function parsePayload(payload: unknown): DocxNotePayload | undefined {
  try {
    const value = JSON.parse(String(payload)) as Partial<DocxNotePayload>;
    return typeof value.id === 'string' && typeof value.ref === 'string' && typeof value.hash === 'string'
      ? (value as DocxNotePayload)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Splits note content into paragraphs at hard breaks. */
function paragraphsOf(content: Json[]): Json[][] {
  const out: Json[][] = [[]];
  for (const node of content) {
    if (node.type === 'hardBreak') out.push([]);
    else out[out.length - 1]?.push(node);
  }
  return out;
}

/** The note writer of one writeDocx call. */
export class DocxNotesWriter {
  private readonly states = new Map<Kind, KindState>();

  constructor(
    private readonly pkg: PackageEditor,
    private readonly patching: boolean,
    private readonly writeRuns: (nodes: Json[], ctx: WriteContext) => string,
  ) {}

  /** The reference run for `node` (a `note`), recording its note text for `finish`. */
  reference(node: Json, ctx: WriteContext): string {
    const kind: Kind = node.attrs?.kind === 'endnote' ? 'endnote' : 'footnote';
    const state = this.state(kind);
    const content = node.content ?? [];
    if (content.some((n) => n.marks?.some((m) => m.type === 'link')))
      ctx.warnings.add('DOCX_NOTE_LINK_LOST', 'Links inside notes were written as plain text');
    // Only a payload this server's reader made (sealed) is trusted: its reference run is written back as is.
    const payload =
      node.attrs?.source === 'docx' && isSealed(node.attrs) ? parsePayload(node.attrs.payload) : undefined;
    const original = payload && this.patching ? state.part?.byId.get(payload.id) : undefined;
    const ownRef = (id: string) =>
      payload && isReferenceRun(payload.ref, kind, id) ? payload.ref : referenceRun(kind, id);
    if (payload && original && !state.used.has(payload.id)) {
      state.used.add(payload.id);
      if (hashJson(canonicalNoteContent(kind, content)) !== payload.hash)
        state.replaced.set(payload.id, this.noteXml(kind, payload.id, content, original, ctx));
      return ownRef(payload.id);
    }
    // A note from a package with its id free here keeps that id (and so its payload, once read back).
    if (
      payload &&
      /^[1-9]\d{0,8}$/.test(payload.id) &&
      !state.used.has(payload.id) &&
      !state.part?.byId.has(payload.id)
    ) {
      state.used.add(payload.id);
      state.added.push(this.noteXml(kind, payload.id, content, undefined, ctx));
      return ownRef(payload.id);
    }
    let id = String(state.nextId++);
    while (state.used.has(id) || state.part?.byId.has(id)) id = String(state.nextId++);
    state.used.add(id);
    state.added.push(this.noteXml(kind, id, content, undefined, ctx));
    return referenceRun(kind, id);
  }

  /** Writes the changed notes parts (adding a part and its relationship when the package had none). */
  finish(): void {
    for (const [kind, state] of this.states) {
      if (state.replaced.size === 0 && state.added.length === 0) continue;
      const names = noteNames[kind];
      if (!state.part) {
        const w = this.pkg.strict ? W_NS.strict : W_NS.transitional;
        const xml =
          '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
          `<${names.root} xmlns:w="${w}">` +
          `<${names.note} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></${names.note}>` +
          `<${names.note} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></${names.note}>` +
          `${state.added.join('')}</${names.root}>`;
        this.pkg.addPart(`${names.part}.xml`, contentTypes[kind], names.part, encodePart(xml));
        continue;
      }
      const { doc, name } = state.part;
      let text = doc.text;
      const closeAt = text.lastIndexOf('</');
      text = text.slice(0, closeAt) + state.added.join('') + text.slice(closeAt);
      const edits = [...state.replaced]
        .map(([id, xml]) => ({ note: state.part?.byId.get(id) as XmlElement, xml }))
        .sort((a, b) => b.note.start - a.note.start);
      for (const { note, xml } of edits) text = text.slice(0, note.start) + xml + text.slice(note.end);
      this.pkg.parts.set(name, encodePart(text, doc.text.charCodeAt(0) === 0xfeff));
    }
  }

  private state(kind: Kind): KindState {
    let state = this.states.get(kind);
    if (!state) {
      const rel = [...this.pkg.rels.byId.values()].find(
        (r) => r.type === noteNames[kind].part && !r.external,
      );
      const part = notesPart(this.pkg.parts, rel?.part, noteNames[kind].note);
      const ids = [...(part?.byId.keys() ?? [])].map(Number).filter(Number.isFinite);
      state = { part, replaced: new Map(), added: [], used: new Set(), nextId: Math.max(0, ...ids) + 1 };
      this.states.set(kind, state);
    }
    return state;
  }

  /** One note element: the original's start tag, paragraph properties and mark run reused when given. */
  private noteXml(
    kind: Kind,
    id: string,
    content: Json[],
    original: XmlElement | undefined,
    ctx: WriteContext,
  ): string {
    const names = noteNames[kind];
    const source = original ? (this.state(kind).part?.doc.text ?? '') : '';
    const firstP = original ? elements(original, 'w:p')[0] : undefined;
    const pPrEl = child(firstP, 'w:pPr');
    const pPr = pPrEl ? source.slice(pPrEl.start, pPrEl.end) : '';
    const markRunEl = firstP ? elements(firstP, 'w:r').find((r) => child(r, names.mark)) : undefined;
    const markRun = markRunEl
      ? source.slice(markRunEl.start, markRunEl.end)
      : `<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><${names.mark}/></w:r>`;
    const open = original ? source.slice(original.start, source.indexOf('>', original.start) + 1) : '';
    const plain = content.map((n) =>
      n.marks ? { ...n, marks: n.marks.filter((m) => m.type !== 'link') } : n,
    );
    const paragraphs = paragraphsOf(plain).map(
      (runs, index) =>
        `<w:p>${pPr}${index === 0 ? `${markRun}<w:r><w:t xml:space="preserve"> </w:t></w:r>` : ''}${this.writeRuns(runs, ctx)}</w:p>`,
    );
    const start = open && !open.endsWith('/>') ? open : `<${names.note} w:id="${id}">`;
    return `${start}${paragraphs.join('')}</${names.note}>`;
  }
}

/**
 * True when `xml` (an untrusted payload) is one well-formed run holding the reference to note `id` and
 * nothing that points at other parts, so it can be written as is.
 */
function isReferenceRun(xml: string, kind: Kind, id: string): boolean {
  try {
    const { root } = parseXml(xml, 'note reference');
    const refs = descendants(root, noteNames[kind].ref);
    const external = (el: XmlElement): boolean =>
      Object.keys(el.attrs).some((a) => a.startsWith('r:')) || elements(el).some(external);
    return root.name === 'w:r' && refs.length === 1 && refs[0]?.attrs['w:id'] === id && !external(root);
  } catch {
    return false;
  }
}

/** A reference run in the body: the note number in superscript. */
function referenceRun(kind: Kind, id: string): string {
  return `<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><${noteNames[kind].ref} w:id="${id}"/></w:r>`;
}
