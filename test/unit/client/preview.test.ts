// @vitest-environment happy-dom
import type { JSONContent } from '@tiptap/core';
import { DOMSerializer } from '@tiptap/pm/model';
import { describe, expect, it } from 'vitest';
import { renderPreview } from '../../../client/editor/preview.ts';
import { schema, validateDoc } from '../../../connectors/model/schema.ts';
import { documentFragment, toYjs } from '../../../connectors/model/yjs.ts';

const text = (value: string, ...marks: JSONContent['marks'] & object) =>
  marks.length ? { type: 'text', text: value, marks } : { type: 'text', text: value };
const para = (...content: JSONContent[]) => ({ type: 'paragraph', content });
const cell = (type: string, value: string, attrs: Record<string, unknown> = {}) => ({
  type,
  attrs,
  content: [para(text(value))],
});

/** Every node and mark of the schema at least once. */
const rich: JSONContent = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 2, blockStyle: 'title' }, content: [text('Quarterly report')] },
    para(
      text('plain '),
      text('bold', { type: 'bold' }),
      text(' both', { type: 'bold' }, { type: 'italic' }),
      text(' under', { type: 'underline' }),
      text(' struck', { type: 'strike' }),
      text(' code', { type: 'code' }),
      text(' link', { type: 'link', attrs: { href: 'https://example.org/a' } }),
      { type: 'hardBreak' },
      text('after a break '),
      { type: 'atomInline', attrs: { kind: 'footnote', label: '[1]', source: 'docx', payload: 'x' } },
      { type: 'image', attrs: { src: 'https://example.org/i.png', alt: 'chart' } },
    ),
    { type: 'bulletList', content: [{ type: 'listItem', content: [para(text('one'))] }] },
    {
      type: 'orderedList',
      attrs: { start: 3 },
      content: [{ type: 'listItem', content: [para(text('three'))] }],
    },
    { type: 'blockquote', content: [para(text('quoted'))] },
    { type: 'codeBlock', content: [text('let x = 1;')] },
    { type: 'horizontalRule' },
    {
      type: 'table',
      content: [
        { type: 'tableRow', content: [cell('tableHeader', 'Head', { colspan: 2 })] },
        { type: 'tableRow', content: [cell('tableCell', 'a'), cell('tableCell', 'b')] },
      ],
    },
    { type: 'atomBlock', attrs: { kind: 'equation', label: 'E = mc²', source: 'docx', payload: 'y' } },
    para(text('unsafe', { type: 'link', attrs: { href: 'javascript:alert(1)' } })),
  ],
};

const markTags = new Set(['STRONG', 'EM', 'U', 'S', 'A']);
const kept = ['href', 'src', 'alt', 'start', 'colspan', 'data-block-style', 'class'];

/**
 * A comparable outline of rendered HTML: blocks as a tree of tags with the attributes both renderings
 * share, text runs with the set of marks around them (mark nesting order is the renderer's business).
 */
function outline(node: Node, marks: string[] = []): unknown[] {
  const out: unknown[] = [];
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === 3) {
      if (child.textContent) out.push(`${[...marks].sort().join('+')}:${child.textContent}`);
      continue;
    }
    const element = child as Element;
    const tag = element.tagName;
    if (tag === 'COLGROUP') continue;
    const inlineCode = tag === 'CODE' && element.parentElement?.tagName !== 'PRE';
    if (markTags.has(tag) || inlineCode) {
      const href = tag === 'A' ? `[${element.getAttribute('href') ?? ''}]` : '';
      out.push(...outline(element, [...marks, `${tag}${href}`]));
      continue;
    }
    const attrs = kept
      .map((name) => [name, element.getAttribute(name)] as const)
      .filter(([name, value]) => value !== null && !(name === 'class' && value !== 'docbridge-atom'))
      .filter(([name, value]) => !(name === 'colspan' && value === '1'))
      .map(([name, value]) => `${name}=${value}`);
    out.push({ [[tag, ...attrs].join(' ')]: outline(element, marks) });
  }
  return out;
}

describe('the read-only preview shown while the editor loads', () => {
  it('renders every node and mark as the schema does', () => {
    const fragment = documentFragment(toYjs(rich));
    const editorHtml = document.createElement('div');
    const safe = structuredClone(rich);
    // The editor's link mark keeps any href in the DOM (it refuses javascript: on click and on input);
    // the preview drops unsafe ones: compare the rest.
    safe.content!.pop();
    editorHtml.append(
      DOMSerializer.fromSchema(schema).serializeFragment(validateDoc(safe).content, { document }),
    );
    const preview = renderPreview(fragment);
    const last = preview.lastElementChild!;
    expect(last.querySelector('a')?.hasAttribute('href')).toBe(false);
    last.remove();
    expect(outline(preview)).toEqual(outline(editorHtml));
  });

  it('creates only elements of the schema, whatever attributes the shared document holds', () => {
    const doc = toYjs({ type: 'doc', content: [para(text('x'))] });
    const paragraph = documentFragment(doc).get(0) as import('yjs').XmlElement;
    paragraph.setAttribute('onclick', 'alert(1)');
    paragraph.setAttribute('style', 'color:red');
    const preview = renderPreview(documentFragment(doc));
    expect(preview.innerHTML).toBe('<p>x</p>');
  });
});
