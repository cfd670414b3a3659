import { Editor } from '@tiptap/core';
import { Collaboration } from '@tiptap/extension-collaboration';
import { CollaborationCaret } from '@tiptap/extension-collaboration-caret';
import { extensions } from '../../connectors/model/schema.ts';
import { h } from '../shared/dom.ts';
import type { Connection } from './connection.ts';
import { createEditorDialogs } from './dialogs.ts';
import { sanitizePastedHtml } from './pasteSanitizer.ts';
import { withProxiedImages } from './proxiedImages.ts';
import { wordShortcuts } from './shortcuts.ts';
import { createToolbar } from './toolbar.ts';
import { userColour } from './userColour.ts';

export interface MountOptions {
  /** Where the toolbar and the editing surface go. */
  host: HTMLElement;
  connection: Connection;
  user: { id: string; name: string };
  /** `false` hides the toolbar (shortcuts still work). */
  toolbar: boolean;
  /** Read-only by choice of the embedding page; the server's verdict is applied on top by `setServerReadOnly`. */
  readOnly: boolean;
  /** Accessible name of the editing surface. */
  label: string;
}

export interface MountedEditor {
  editor: Editor;
  /** Applies the server's read-only verdict (role `read` or `comment`). */
  setServerReadOnly(readOnly: boolean): void;
  destroy(): void;
}

/**
 * The collaborative editor: the shared schema's extension list (never redefined here), bound to the Yjs
 * document of `connection` with live carets (name and colour per user), the toolbar and dialogs, Word-like
 * shortcuts, and a paste sanitiser. Starts non-editable and becomes editable only once the server has said
 * the connection may write, so a read-only user never sees keystrokes that would be dropped.
 */
export function mountEditor(options: MountOptions): MountedEditor {
  const surface = h('div', { class: 'editor-surface' });
  const dialogHost = h('div');
  let dialogs: ReturnType<typeof createEditorDialogs> | null = null;
  let serverReadOnly: boolean | null = null;
  const editor = new Editor({
    element: surface,
    injectCSS: false,
    editable: false,
    extensions: [
      ...withProxiedImages(extensions),
      Collaboration.configure({ document: options.connection.doc, field: 'default' }),
      CollaborationCaret.configure({
        provider: options.connection.provider,
        // `suite`: where this person edits from, for the Word add-in's list of co-editors.
        user: { name: options.user.name, color: userColour(options.user.id), suite: 'web' },
      }),
      wordShortcuts(() => dialogs?.openLink()),
    ],
    editorProps: {
      attributes: {
        id: 'editor',
        class: 'document',
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-label': options.label,
        'aria-readonly': 'true',
      },
      transformPastedHTML: sanitizePastedHtml,
    },
  });
  dialogs = createEditorDialogs(dialogHost, editor);
  const toolbar = createToolbar(editor, {
    openLinkDialog: () => dialogs?.openLink(),
    openImageDialog: () => dialogs?.openImage(),
  });
  toolbar.hidden = true;
  options.host.append(toolbar, surface, dialogHost);

  const applyEditable = () => {
    const editable = serverReadOnly === false && !options.readOnly;
    editor.setEditable(editable);
    editor.view.dom.setAttribute('aria-readonly', String(!editable));
    toolbar.hidden = !editable || !options.toolbar;
  };
  return {
    editor,
    setServerReadOnly(readOnly) {
      serverReadOnly = readOnly;
      applyEditable();
    },
    destroy() {
      editor.destroy();
      options.host.replaceChildren();
    },
  };
}
