/**
 * Character rules of Google Docs text: what insertText strips, and the vertical tab (U+000B) that stands
 * for a line break (the schema's hardBreak) inside a paragraph.
 */

/** The line break character of Google Docs paragraphs. */
export const LINE_BREAK = '\u000b';

/** True for characters insertText strips: U+0000-U+0008, U+000C-U+001F and the BMP private use area. */
export function isStripped(code: number): boolean {
  return code <= 0x08 || (code >= 0x0c && code <= 0x1f) || (code >= 0xe000 && code <= 0xf8ff);
}

/** `text` without the characters Google strips. */
export function stripUnsupported(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) if (!isStripped(text.charCodeAt(i))) out += text[i];
  return out;
}

/** Splits text into runs and single line-break characters, in order (empty runs left out). */
export function splitLineBreaks(text: string): string[] {
  const out: string[] = [];
  let run = '';
  for (const ch of text) {
    if (ch === LINE_BREAK) {
      if (run) out.push(run);
      out.push(ch);
      run = '';
    } else run += ch;
  }
  if (run) out.push(run);
  return out;
}
