import type { JSONContent } from '@tiptap/core';
import { blockForStyle, textChange } from './wordUnits.ts';

/** One character of inline content with its marks; a hard break is `\v` (as Word reports it). */
interface Char {
  char: string;
  marks: JSONContent['marks'];
}

function explode(content: JSONContent[] | undefined): Char[] {
  const chars: Char[] = [];
  for (const node of content ?? []) {
    if (node.type === 'hardBreak') chars.push({ char: '\v', marks: undefined });
    else for (const char of node.text ?? '') chars.push({ char, marks: node.marks });
  }
  return chars;
}

function implode(chars: Char[]): JSONContent[] {
  const content: JSONContent[] = [];
  for (const { char, marks } of chars) {
    if (char === '\v') {
      content.push({ type: 'hardBreak' });
      continue;
    }
    const last = content.at(-1);
    if (last?.type === 'text' && JSON.stringify(last.marks ?? []) === JSON.stringify(marks ?? [])) {
      last.text += char;
    } else content.push({ type: 'text', text: char, ...(marks?.length ? { marks } : {}) });
  }
  return content;
}

/**
 * A paragraph or heading block whose plain text is changed to `text` and whose style to `style`, keeping the
 * marks of every character the change does not touch; inserted characters take the marks of the character
 * before them (as typing does in Word and in the editor). The block's other attributes are kept.
 */
export function editBlock(block: JSONContent, text: string, style: string): JSONContent {
  const chars = explode(block.content);
  const change = textChange(chars.map((c) => c.char).join(''), text);
  if (change) {
    // Positions of textChange are UTF-16 units; `chars` holds one entry per code unit only for BMP text.
    const units = chars.flatMap((c) =>
      [...c.char].flatMap((ch) => Array.from({ length: ch.length }, () => c)),
    );
    const inherited = units[change.start - 1]?.marks ?? units[change.end]?.marks;
    const inserted = [...change.insert].map((char) => ({ char, marks: inherited }));
    const before = splitUnits(units, 0, change.start);
    const after = splitUnits(units, change.end, units.length);
    chars.splice(0, chars.length, ...before, ...inserted, ...after);
  }
  const { type, attrs } = blockForStyle(style);
  const content = implode(chars);
  const { content: _old, ...rest } = block;
  return {
    ...rest,
    type,
    attrs: { ...(type === block.type ? block.attrs : {}), ...attrs },
    ...(content.length > 0 ? { content } : {}),
  };
}

/** Characters covering UTF-16 units `[from, to)`, rebuilt from per-unit entries. */
function splitUnits(units: Char[], from: number, to: number): Char[] {
  const out: Char[] = [];
  for (let i = from; i < to; i++) {
    const entry = units[i]!;
    // A surrogate pair is two units of one entry: emit the entry once, at its first unit.
    if (i > from && units[i - 1] === entry) continue;
    out.push(entry);
  }
  return out;
}

/** A new block for a paragraph Word added. */
export function newBlock(text: string, style: string): JSONContent {
  return editBlock({ type: 'paragraph' }, text, style);
}
