/**
 * The one document schema of Docbridge (see the schema contract): the Tiptap extension list shared by the web
 * editor and, headless, by the server and every converter. Browser-safe: no Node-only imports here.
 */
import { Extension, type Extensions, getSchema, type JSONContent, mergeAttributes, Node } from '@tiptap/core';
import { Image } from '@tiptap/extension-image';
import { Link } from '@tiptap/extension-link';
import { TableKit } from '@tiptap/extension-table';
import type { Node as PMNode, Schema } from '@tiptap/pm/model';
import { Plugin } from '@tiptap/pm/state';
import { StarterKit } from '@tiptap/starter-kit';
import { ConversionError } from './errors.ts';

/** The values of the `blockStyle` attribute; `null` means a plain paragraph or heading. */
export const blockStyles = ['title', 'subtitle'] as const;
/** A named paragraph style that the schema carries so TITLE/SUBTITLE round-trip between suites. */
export type BlockStyle = (typeof blockStyles)[number];

/** Attributes of `atomBlock` and `atomInline`: everything needed to show the chip and write the original back. */
export interface AtomAttrs {
  /** What the atom stands for, e.g. `footnote`, `equation`, `field`. */
  kind: string;
  /** Short human text shown in the chip and written by formats that cannot carry the atom. */
  label: string;
  /** The format that produced it and can write it back: `docx`, `gdocs` or `odt`. */
  source: string;
  /** Opaque to everyone but the writer of `source` (e.g. the original XML fragment or JSON element). */
  payload: string;
  /**
   * The server reader's stamp over source and payload (connectors/model/atomSeal.ts): writers copy the payload
   * only when it checks, so a payload typed in by an editor is never exported. Empty on unstamped atoms.
   */
  seal?: string;
}

function isBlockStyle(value: unknown): value is BlockStyle {
  return typeof value === 'string' && (blockStyles as readonly string[]).includes(value);
}

/** Adds `blockStyle` (data-block-style in HTML) to paragraph and heading. */
const BlockStyleAttribute = Extension.create({
  name: 'blockStyle',
  addGlobalAttributes() {
    return [
      {
        types: ['paragraph', 'heading'],
        attributes: {
          blockStyle: {
            default: null,
            parseHTML: (element: HTMLElement) => {
              const value = element.getAttribute('data-block-style');
              return isBlockStyle(value) ? value : null;
            },
            renderHTML: (attrs: Record<string, unknown>) =>
              isBlockStyle(attrs.blockStyle) ? { 'data-block-style': attrs.blockStyle } : {},
          },
        },
      },
    ];
  },
});

/**
 * Tiptap turns attribute strings that look like numbers or booleans into numbers and booleans when it
 * parses HTML (an image titled "2024" would get the number 2024); these text attributes stay strings.
 */
function keepAsString(names: string[]) {
  return Object.fromEntries(
    names.map((name) => [
      name,
      { default: null, parseHTML: (element: HTMLElement) => element.getAttribute(name) },
    ]),
  );
}

/** Inline images whose src/alt/title always parse as strings. */
const TextAttrImage = Image.extend({
  addAttributes() {
    return { ...this.parent?.(), ...keepAsString(['src', 'alt', 'title']) };
  },
});

/** Links whose target/rel/class/title parse as strings (defaults as in Tiptap's Link). */
const TextAttrLink = Link.extend({
  addAttributes() {
    const parent = this.parent?.() ?? {};
    const strings = keepAsString(['target', 'rel', 'class', 'title']);
    return Object.fromEntries(
      Object.entries(parent).map(([name, spec]) => [
        name,
        strings[name] ? { ...spec, parseHTML: strings[name].parseHTML } : spec,
      ]),
    );
  },
});

/** Attribute specs shared by both atoms; rendering is done by the node itself from `node.attrs`. */
function atomAttributes() {
  const fromData = (name: string) => (element: HTMLElement) =>
    element.getAttribute(`data-atom-${name}`) ?? '';
  return {
    kind: { default: 'unknown', parseHTML: fromData('kind'), renderHTML: () => ({}) },
    label: {
      default: '',
      parseHTML: (element: HTMLElement) => element.textContent ?? '',
      renderHTML: () => ({}),
    },
    source: { default: '', parseHTML: fromData('source'), renderHTML: () => ({}) },
    payload: { default: '', parseHTML: fromData('payload'), renderHTML: () => ({}) },
    seal: { default: '', parseHTML: fromData('seal'), renderHTML: () => ({}) },
  };
}

/** The HTML attributes of an atom chip: data attributes that parseHTML reads back, and not editable. */
function atomDomAttrs(node: PMNode, extra: Record<string, unknown>): Record<string, unknown> {
  const attrs = node.attrs as AtomAttrs;
  return mergeAttributes(extra, {
    class: 'docbridge-atom',
    contenteditable: 'false',
    'data-atom-kind': attrs.kind,
    'data-atom-source': attrs.source,
    'data-atom-payload': attrs.payload,
    ...(attrs.seal ? { 'data-atom-seal': attrs.seal } : {}),
  });
}

/** An opaque block (equation, table of contents, drawing...) kept untouched and shown as a chip. */
export const AtomBlock = Node.create({
  name: 'atomBlock',
  group: 'block',
  atom: true,
  selectable: true,
  draggable: true,
  addAttributes: atomAttributes,
  parseHTML() {
    return [{ tag: 'div[data-atom-kind]', priority: 60 }];
  },
  renderHTML({ node, HTMLAttributes }) {
    return ['div', atomDomAttrs(node, HTMLAttributes), (node.attrs as AtomAttrs).label];
  },
});

/** An opaque inline thing (footnote reference, field, comment anchor...) kept untouched and shown as a chip. */
export const AtomInline = Node.create({
  name: 'atomInline',
  group: 'inline',
  inline: true,
  atom: true,
  selectable: true,
  addAttributes: atomAttributes,
  parseHTML() {
    return [{ tag: 'span[data-atom-kind]', priority: 60 }];
  },
  renderHTML({ node, HTMLAttributes }) {
    return ['span', atomDomAttrs(node, HTMLAttributes), (node.attrs as AtomAttrs).label];
  },
});

/** The kinds of `note`: a footnote (numbered 1, 2, 3 at the foot of its page) or an endnote (i, ii, iii). */
export const noteKinds = ['footnote', 'endnote'] as const;
/** A note's kind. */
export type NoteKind = (typeof noteKinds)[number];

/** Attributes of `note`. */
export interface NoteAttrs {
  kind: NoteKind;
  /**
   * The format the note was read from (`docx`, `odt`, `gdocs`) and its original there (e.g. the note's XML and
   * the hash of the content it read to), so that writer puts back an unedited note untouched; '' when typed.
   */
  source: string;
  payload: string;
  /** This server's stamp over source and payload (`atomSeal.ts`): a payload is written back only with it. */
  seal?: string;
}

/**
 * A footnote or endnote: an inline node at the reference's place whose content is the note's text, editable
 * like any other text (the editor shows the number and the text in place). Notes do not nest. Several
 * paragraphs of a note read as one, separated by hard breaks.
 */
export const Note = Node.create({
  name: 'note',
  group: 'inline',
  inline: true,
  content: '(text | hardBreak)*',
  marks: '_',
  selectable: true,
  addAttributes() {
    return {
      kind: {
        default: 'footnote',
        parseHTML: (element: HTMLElement) =>
          element.getAttribute('data-note-kind') === 'endnote' ? 'endnote' : 'footnote',
        renderHTML: (attrs: Record<string, unknown>) => ({ 'data-note-kind': attrs.kind }),
      },
      source: {
        default: '',
        parseHTML: (element: HTMLElement) => element.getAttribute('data-note-source') ?? '',
        renderHTML: (attrs: Record<string, unknown>) =>
          attrs.source ? { 'data-note-source': attrs.source } : {},
      },
      payload: {
        default: '',
        parseHTML: (element: HTMLElement) => element.getAttribute('data-note-payload') ?? '',
        renderHTML: (attrs: Record<string, unknown>) =>
          attrs.payload ? { 'data-note-payload': attrs.payload } : {},
      },
      seal: {
        default: '',
        parseHTML: (element: HTMLElement) => element.getAttribute('data-note-seal') ?? '',
        renderHTML: (attrs: Record<string, unknown>) => (attrs.seal ? { 'data-note-seal': attrs.seal } : {}),
      },
    };
  },
  parseHTML() {
    return [{ tag: 'span[data-note-kind]', priority: 70 }];
  },
  addKeyboardShortcuts() {
    /** Moves the cursor out of the note it is in: after it, or before it from its start. */
    const leave = (forward: boolean, onlyAtEdge: boolean) => () => {
      const { $from, empty } = this.editor.state.selection;
      if (!empty || $from.parent.type.name !== 'note') return false;
      const atEdge = forward ? $from.parentOffset === $from.parent.content.size : $from.parentOffset === 0;
      if (onlyAtEdge && !atEdge) return false;
      return this.editor.commands.setTextSelection(forward ? $from.after() : $from.before());
    };
    return {
      ArrowRight: leave(true, true),
      ArrowLeft: leave(false, true),
      Escape: leave(true, false),
      // A note holds lines, not paragraphs: Enter starts a new line of the note.
      Enter: () =>
        this.editor.state.selection.$from.parent.type.name === 'note' && this.editor.commands.setHardBreak(),
    };
  },
  addProseMirrorPlugins() {
    return [
      new Plugin({
        props: {
          /**
           * Right after a note the browser's caret is also at the end of the note's text, so typed text would
           * land inside the note: put it where the editor's cursor is (after the note).
           */
          handleTextInput(view, from, to, text) {
            const { selection } = view.state;
            const $at = view.state.doc.resolve(from);
            if (
              !selection.empty ||
              $at.parent.type.name !== 'note' ||
              selection.$from.parent.type.name === 'note'
            )
              return false;
            if (from !== to || $at.parentOffset !== $at.parent.content.size || $at.after() !== selection.from)
              return false;
            view.dispatch(view.state.tr.insertText(text, selection.from));
            return true;
          },
        },
      }),
    ];
  },
  renderHTML({ node, HTMLAttributes }) {
    const kind = (node.attrs as NoteAttrs).kind;
    return [
      'span',
      mergeAttributes(HTMLAttributes, {
        class: 'docbridge-note',
        role: 'note',
        'aria-label': kind === 'endnote' ? 'Endnote' : 'Footnote',
      }),
      0,
    ];
  },
});

/**
 * The extension list, for the editor (`new Editor({ extensions })`) and for headless use. Undo/redo is left
 * out because collaborative editing brings its own (Yjs) undo manager; the trailing-node plugin is left out
 * because it would make the editor add content that no user typed.
 */
export const extensions: Extensions = [
  StarterKit.configure({ undoRedo: false, trailingNode: false, link: false }),
  TextAttrLink,
  TableKit,
  TextAttrImage.configure({ inline: true, allowBase64: true }),
  BlockStyleAttribute,
  AtomBlock,
  AtomInline,
  Note,
];

/** The ProseMirror schema built from `extensions`; the single definition every converter uses. */
export const schema: Schema = getSchema(extensions);

/**
 * Checks that `json` is a valid document of `schema` (node types, attributes, content expressions, marks)
 * and returns the ProseMirror node. Throws ConversionError('SCHEMA_INVALID') otherwise, so converters can
 * validate what they produce and the sync engine can refuse a malformed import.
 */
export function validateDoc(json: unknown): PMNode {
  try {
    const node = schema.nodeFromJSON(json as JSONContent);
    if (node.type !== schema.topNodeType) throw new Error(`top node is ${node.type.name}, not doc`);
    node.check();
    return node;
  } catch (err) {
    if (err instanceof ConversionError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new ConversionError('SCHEMA_INVALID', `Document does not match the schema: ${message}`, {
      cause: err,
    });
  }
}

/**
 * The canonical JSON of a valid document: every attribute present with its default, adjacent text nodes
 * with equal marks merged, marks in schema order. Readers return this form, so two reads of the same
 * content are deeply equal. Throws like `validateDoc`.
 */
export function normalizeDoc(json: unknown): JSONContent {
  return validateDoc(json).toJSON() as JSONContent;
}
