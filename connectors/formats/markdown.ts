/**
 * Markdown import and export (CommonMark + GFM tables and strikethrough). Reading and writing live in
 * `markdownRead.ts` and `markdownWrite.ts`; this module is the format's one entry point.
 */
export { MAX_MARKDOWN_CHARS, readMarkdown } from './markdownRead.ts';
export { writeMarkdown } from './markdownWrite.ts';
