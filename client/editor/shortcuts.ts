import { Extension } from '@tiptap/core';

/**
 * The word-processor shortcuts Tiptap does not bind by itself: Ctrl/Cmd+K opens the link dialog and
 * Ctrl/Cmd+Alt+0 returns to a normal paragraph (as in Google Docs). Bold, italic, underline, strike,
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
      };
    },
  });
}
