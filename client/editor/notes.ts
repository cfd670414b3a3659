import type { Editor } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import type { NoteKind } from '../../connectors/model/schema.ts';

/** The text a new note starts with, selected so that typing replaces it. */
const PLACEHOLDER = 'Note';

/**
 * Inserts a footnote or endnote at the cursor (replacing any selection) with its placeholder text selected,
 * so the note's text is typed in place, as in Google Docs and Word (browsers cannot put a caret inside an
 * empty inline element, hence the placeholder). Returns false where no note fits (inside another note, or in
 * a code block).
 */
export function insertNote(editor: Editor, kind: NoteKind): boolean {
  const { state } = editor;
  const type = state.schema.nodes.note;
  if (!type) return false;
  const { $from } = state.selection;
  if ($from.parent.type === type || !$from.parent.canReplaceWith($from.index(), $from.index(), type))
    return false;
  const tr = state.tr.replaceSelectionWith(type.create({ kind }, state.schema.text(PLACEHOLDER)), false);
  // The note just inserted ends where the mapped selection now is; its text sits one position in.
  const end = tr.selection.from - 1;
  tr.setSelection(TextSelection.create(tr.doc, end - PLACEHOLDER.length, end));
  editor.view.dispatch(tr.scrollIntoView());
  editor.view.focus();
  return true;
}
