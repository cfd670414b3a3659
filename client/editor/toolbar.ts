import type { Editor } from '@tiptap/core';
import { h } from '../shared/dom.ts';
import { type BlockStyleChoice, blockStyleChoices, currentBlockStyle, setBlockStyle } from './blockStyles.ts';
import { insertNote } from './notes.ts';

interface ToggleButton {
  name: string;
  glyph: string;
  glyphClass?: string;
  shortcut?: string;
  run(editor: Editor): void;
  active?(editor: Editor): boolean;
  enabled?(editor: Editor): boolean;
  /** Shown only while this is true (table tools appear inside a table). */
  shown?(editor: Editor): boolean;
}

export interface ToolbarActions {
  openLinkDialog(): void;
  openImageDialog(): void;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const mod = isMac ? '⌘' : 'Ctrl+';

function buttons(actions: ToolbarActions): ToggleButton[] {
  const inTable = (e: Editor) => e.isActive('table');
  return [
    {
      name: 'Bold',
      glyph: 'B',
      glyphClass: 'glyph-bold',
      shortcut: `${mod}B`,
      run: (e) => e.chain().focus().toggleBold().run(),
      active: (e) => e.isActive('bold'),
    },
    {
      name: 'Italic',
      glyph: 'I',
      glyphClass: 'glyph-italic',
      shortcut: `${mod}I`,
      run: (e) => e.chain().focus().toggleItalic().run(),
      active: (e) => e.isActive('italic'),
    },
    {
      name: 'Underline',
      glyph: 'U',
      glyphClass: 'glyph-underline',
      shortcut: `${mod}U`,
      run: (e) => e.chain().focus().toggleUnderline().run(),
      active: (e) => e.isActive('underline'),
    },
    {
      name: 'Strikethrough',
      glyph: 'S',
      glyphClass: 'glyph-strike',
      shortcut: `${mod}Shift+S`,
      run: (e) => e.chain().focus().toggleStrike().run(),
      active: (e) => e.isActive('strike'),
    },
    {
      name: 'Link',
      glyph: 'Link',
      shortcut: `${mod}K`,
      run: () => actions.openLinkDialog(),
      active: (e) => e.isActive('link'),
    },
    {
      name: 'Bulleted list',
      glyph: '• List',
      shortcut: `${mod}Shift+8`,
      run: (e) => e.chain().focus().toggleBulletList().run(),
      active: (e) => e.isActive('bulletList'),
    },
    {
      name: 'Numbered list',
      glyph: '1. List',
      shortcut: `${mod}Shift+7`,
      run: (e) => e.chain().focus().toggleOrderedList().run(),
      active: (e) => e.isActive('orderedList'),
    },
    {
      name: 'Insert table',
      glyph: 'Table',
      run: (e) => e.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(),
      enabled: (e) => !inTable(e),
    },
    { name: 'Insert image', glyph: 'Image', run: () => actions.openImageDialog() },
    {
      name: 'Insert footnote',
      glyph: 'Footnote',
      shortcut: `${mod}Alt+F`,
      run: (e) => insertNote(e, 'footnote'),
      enabled: (e) => !e.isActive('note') && !e.isActive('codeBlock'),
    },
    {
      name: 'Undo',
      glyph: 'Undo',
      shortcut: `${mod}Z`,
      run: (e) => e.chain().focus().undo().run(),
      enabled: (e) => e.can().undo(),
    },
    {
      name: 'Redo',
      glyph: 'Redo',
      shortcut: isMac ? '⌘Shift+Z' : 'Ctrl+Y',
      run: (e) => e.chain().focus().redo().run(),
      enabled: (e) => e.can().redo(),
    },
    { name: 'Add row', glyph: '+ Row', run: (e) => e.chain().focus().addRowAfter().run(), shown: inTable },
    {
      name: 'Add column',
      glyph: '+ Column',
      run: (e) => e.chain().focus().addColumnAfter().run(),
      shown: inTable,
    },
    { name: 'Delete row', glyph: '− Row', run: (e) => e.chain().focus().deleteRow().run(), shown: inTable },
    {
      name: 'Delete column',
      glyph: '− Column',
      run: (e) => e.chain().focus().deleteColumn().run(),
      shown: inTable,
    },
    {
      name: 'Delete table',
      glyph: '− Table',
      run: (e) => e.chain().focus().deleteTable().run(),
      shown: inTable,
    },
  ];
}

/**
 * The formatting toolbar (WAI-ARIA toolbar pattern: one Tab stop, arrow keys move between controls). Every
 * control has an accessible name and its shortcut in the tooltip; toggles expose `aria-pressed`; table tools
 * appear only inside a table. State follows the editor on every transaction.
 */
export function createToolbar(editor: Editor, actions: ToolbarActions): HTMLElement {
  const select = h('select', { class: 'toolbar__select', 'aria-label': 'Text style' });
  for (const choice of blockStyleChoices) select.append(h('option', { value: choice.value }, choice.label));
  select.addEventListener('change', () => {
    setBlockStyle(editor, select.value as BlockStyleChoice);
  });

  const defs = buttons(actions);
  const controls = defs.map((def) => {
    const button = h(
      'button',
      {
        type: 'button',
        class: 'toolbar__button',
        title: def.shortcut ? `${def.name} (${def.shortcut})` : def.name,
      },
      h('span', { class: `toolbar__glyph ${def.glyphClass ?? ''}`, 'aria-hidden': 'true' }, def.glyph),
      h('span', { class: 'visually-hidden' }, def.name),
    );
    if (def.active) button.setAttribute('aria-pressed', 'false');
    // Keep the editor's selection: a mouse press on the toolbar must not move focus away first.
    button.addEventListener('mousedown', (event) => event.preventDefault());
    button.addEventListener('click', () => def.run(editor));
    return { def, button };
  });

  const toolbar = h(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': 'Formatting', 'aria-controls': 'editor' },
    select,
  );
  for (const { button } of controls) toolbar.append(button);

  type Control = HTMLButtonElement | HTMLSelectElement;
  const all: Control[] = [select, ...controls.map((c) => c.button)];
  const focusables = () => all.filter((el) => !el.hidden && !el.disabled);
  let current: Control = select;
  const setCurrent = (el: Control) => {
    current = el;
    for (const item of all) item.tabIndex = item === el ? 0 : -1;
  };
  toolbar.addEventListener('focusin', (event) => {
    const target = all.find((el) => el === event.target);
    if (target) setCurrent(target);
  });
  toolbar.addEventListener('keydown', (event) => {
    const items = focusables();
    const index = items.indexOf(current);
    let next: Control | undefined;
    if (event.key === 'ArrowRight') next = items[(index + 1) % items.length];
    else if (event.key === 'ArrowLeft') next = items[(index - 1 + items.length) % items.length];
    else if (event.key === 'Home') next = items[0];
    else if (event.key === 'End') next = items[items.length - 1];
    if (!next || (event.target === select && (event.key === 'Home' || event.key === 'End'))) return;
    event.preventDefault();
    setCurrent(next);
    next.focus();
  });

  const refresh = () => {
    select.value = currentBlockStyle(editor);
    for (const { def, button } of controls) {
      if (def.active) button.setAttribute('aria-pressed', String(def.active(editor)));
      button.disabled = def.enabled ? !def.enabled(editor) : false;
      button.hidden = def.shown ? !def.shown(editor) : false;
    }
    if (!focusables().includes(current)) setCurrent(select);
  };
  editor.on('transaction', refresh);
  editor.on('selectionUpdate', refresh);
  setCurrent(select);
  refresh();
  return toolbar;
}
