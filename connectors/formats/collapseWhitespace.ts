/**
 * HTML's whitespace rule applied to a schema document: in every textblock except code blocks, runs of
 * spaces, tabs and line breaks become one space, and none is kept at the start or end of the block or
 * beside a hard break. The HTML reader ends with it so that reading is a fixpoint whatever the DOM parser
 * left behind (e.g. whitespace that sat inside a `<pre>` which could not become a code block).
 */
import type { JSONContent } from '@tiptap/core';

const SPACE_RUN = /[ \t\n\r\f]+/g;

function collapseInline(nodes: JSONContent[]): JSONContent[] {
  const out: JSONContent[] = [];
  let afterSpace = true;
  const trimEnd = () => {
    const last = out[out.length - 1];
    if (last?.type !== 'text') return;
    const text = (last.text ?? '').replace(/ $/, '');
    if (text === '') out.pop();
    else last.text = text;
  };
  for (const node of nodes) {
    if (node.type !== 'text') {
      if (node.type === 'hardBreak') trimEnd();
      afterSpace = node.type === 'hardBreak';
      out.push(node);
      continue;
    }
    let text = (node.text ?? '').replace(SPACE_RUN, ' ');
    if (afterSpace) text = text.replace(/^ /, '');
    if (text === '') continue;
    afterSpace = text.endsWith(' ');
    out.push({ ...node, text });
  }
  trimEnd();
  return out;
}

/** A copy of `doc` with inline whitespace collapsed as a browser renders it (code blocks untouched). */
export function collapseWhitespace(doc: JSONContent): JSONContent {
  const visit = (node: JSONContent): JSONContent => {
    if (!node.content || node.type === 'codeBlock') return node;
    const isTextblock = node.type === 'paragraph' || node.type === 'heading';
    const content = isTextblock ? collapseInline(node.content) : node.content.map(visit);
    const copy: JSONContent = { ...node };
    if (content.length) copy.content = content;
    else delete copy.content;
    return copy;
  };
  return visit(doc);
}
