import type { Editor } from '@tiptap/core';

/** The paragraph styles offered in the toolbar, in Word/Google Docs order. */
export const blockStyleChoices = [
  { value: 'paragraph', label: 'Normal text' },
  { value: 'title', label: 'Title' },
  { value: 'subtitle', label: 'Subtitle' },
  { value: 'h1', label: 'Heading 1' },
  { value: 'h2', label: 'Heading 2' },
  { value: 'h3', label: 'Heading 3' },
  { value: 'h4', label: 'Heading 4' },
  { value: 'h5', label: 'Heading 5' },
  { value: 'h6', label: 'Heading 6' },
] as const;

export type BlockStyleChoice = (typeof blockStyleChoices)[number]['value'];
type Level = 1 | 2 | 3 | 4 | 5 | 6;

/**
 * Applies a paragraph style in the schema's terms: Title is `heading{level 1, blockStyle 'title'}`, Subtitle
 * is `paragraph{blockStyle 'subtitle'}` (so both round-trip with Google Docs and Word), headings and normal
 * text carry no block style.
 */
export function setBlockStyle(editor: Editor, choice: BlockStyleChoice): void {
  const chain = editor.chain().focus();
  if (choice === 'paragraph') chain.setParagraph().updateAttributes('paragraph', { blockStyle: null }).run();
  else if (choice === 'subtitle')
    chain.setParagraph().updateAttributes('paragraph', { blockStyle: 'subtitle' }).run();
  else if (choice === 'title')
    chain.setHeading({ level: 1 }).updateAttributes('heading', { blockStyle: 'title' }).run();
  else {
    const level = Number(choice.slice(1)) as Level;
    chain.setHeading({ level }).updateAttributes('heading', { blockStyle: null }).run();
  }
}

/** The style of the block holding the selection, for the toolbar's select. */
export function currentBlockStyle(editor: Editor): BlockStyleChoice {
  if (editor.isActive('heading', { blockStyle: 'title' })) return 'title';
  if (editor.isActive('paragraph', { blockStyle: 'subtitle' })) return 'subtitle';
  for (const level of [1, 2, 3, 4, 5, 6] as const) {
    if (editor.isActive('heading', { level })) return `h${level}`;
  }
  return 'paragraph';
}
