import { Extension } from '@tiptap/core';
import { insertNote } from './notes.ts';

/**
 * The word-processor shortcuts Tiptap does not bind by itself: Ctrl/Cmd+K opens the link dialog,
 * Ctrl/Cmd+Alt+0 returns to a normal paragraph, Ctrl/Cmd+Alt+F inserts a footnote (as in Google Docs) and
 * Ctrl/Cmd+Alt+D an endnote (as in Word). Bold, italic, underline, strike,
 * headings (Ctrl+Alt+1..6), lists (Ctrl+Shift+7/8) and undo/redo are bound by their own extensions.
 */
export function wordShortcuts(openLinkDialog: () => void) {
  return Extension.create({
    name: 'docbridgeShortcuts',
    addKeyboardShortcuts() {
      return {
        'Mod-k': () => {
          openLinkDialog();
          return true;
        },
        'Mod-Alt-0': () => this.editor.commands.setParagraph(),
        'Mod-Alt-f': () => insertNote(this.editor, 'footnote'),
        'Mod-Alt-d': () => insertNote(this.editor, 'endnote'),
      };
    },
  });
}
