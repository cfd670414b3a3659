import * as Y from 'yjs';
import { safeLinkHref } from './safeLink.ts';

/**
 * HTML tags of the schema's nodes and marks (connectors/model/schema.ts) as its `renderHTML` writes them:
 * what the editor will show, so the preview and the editor that replaces it look alike. Only these are ever
 * created; test/unit/client/preview.test.ts renders a document through both and compares them.
 */
const nodeTags: Record<string, string> = {
  paragraph: 'p',
  blockquote: 'blockquote',
  bulletList: 'ul',
  orderedList: 'ol',
  listItem: 'li',
  codeBlock: 'pre',
  horizontalRule: 'hr',
  hardBreak: 'br',
  table: 'table',
  tableRow: 'tr',
  tableCell: 'td',
  tableHeader: 'th',
  image: 'img',
  atomBlock: 'div',
  atomInline: 'span',
};
const markTags: Record<string, string> = {
  bold: 'strong',
  italic: 'em',
  underline: 'u',
  strike: 's',
  code: 'code',
  link: 'a',
};
const rasterData = /^data:image\/(png|jpeg|gif|webp);base64,[a-z0-9+/=\s]*$/i;

function attr(element: Y.XmlElement, name: string): string | null {
  const value = element.getAttribute(name) as unknown;
  return value === undefined || value === null ? null : String(value);
}

function renderElement(element: Y.XmlElement): Node {
  const type = element.nodeName;
  const level = Math.min(6, Math.max(1, Number(attr(element, 'level')) || 1));
  // A node this preview does not know still shows its text; the editor renders it properly a moment later.
  const dom = document.createElement(type === 'heading' ? `h${level}` : (nodeTags[type] ?? 'div'));
  const blockStyle = attr(element, 'blockStyle');
  if (blockStyle && (type === 'paragraph' || type === 'heading')) dom.dataset.blockStyle = blockStyle;
  switch (type) {
    case 'orderedList': {
      const start = Number(attr(element, 'start'));
      if (Number.isInteger(start) && start !== 1) dom.setAttribute('start', String(start));
      break;
    }
    case 'tableCell':
    case 'tableHeader':
      for (const span of ['colspan', 'rowspan']) {
        const value = Number(attr(element, span));
        if (Number.isInteger(value) && value > 1) dom.setAttribute(span, String(value));
      }
      break;
    case 'image': {
      const src = attr(element, 'src') ?? '';
      const safe = rasterData.test(src) ? src : safeLinkHref(src);
      if (safe && /^(https?:|data:)/.test(safe)) dom.setAttribute('src', safe);
      dom.setAttribute('alt', attr(element, 'alt') ?? '');
      return dom;
    }
    case 'atomBlock':
    case 'atomInline':
      dom.className = 'docbridge-atom';
      dom.textContent = attr(element, 'label') ?? '';
      return dom;
    case 'codeBlock':
      dom.append(withChildren(document.createElement('code'), element));
      return dom;
    case 'table':
      dom.append(withChildren(document.createElement('tbody'), element));
      return dom;
  }
  return withChildren(dom, element);
}

function renderText(text: Y.XmlText): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    if (typeof op.insert !== 'string') continue;
    let node: Node = document.createTextNode(op.insert);
    for (const [mark, value] of Object.entries(op.attributes ?? {})) {
      const tag = markTags[mark];
      if (!tag) continue;
      const wrapper = document.createElement(tag);
      if (mark === 'link') {
        const href = safeLinkHref(String((value as { href?: unknown } | null)?.href ?? ''));
        if (href) wrapper.setAttribute('href', href);
        wrapper.setAttribute('rel', 'noopener noreferrer nofollow');
      }
      wrapper.append(node);
      node = wrapper;
    }
    fragment.append(node);
  }
  return fragment;
}

function withChildren(dom: HTMLElement, parent: Y.XmlElement | Y.XmlFragment): HTMLElement {
  for (const child of parent.toArray()) {
    if (child instanceof Y.XmlElement) dom.append(renderElement(child));
    else if (child instanceof Y.XmlText) dom.append(renderText(child));
  }
  return dom;
}

/** The document as read-only HTML, in the editor's classes. */
export function renderPreview(fragment: Y.XmlFragment): HTMLElement {
  const dom = withChildren(document.createElement('div'), fragment);
  dom.className = 'document document--preview';
  return dom;
}

/**
 * Shows the shared document read-only in `host` while the editor's code is still downloading, and keeps it
 * current as the document syncs (one repaint per frame). The first paint of a document thus needs Yjs and
 * the provider, not ProseMirror and Tiptap (docs/benchmarks.md, client bundle). Returns the function that
 * removes it, called when the editor is mounted in its place.
 */
export function showPreview(host: HTMLElement, fragment: Y.XmlFragment, label: string): () => void {
  const surface = document.createElement('div');
  surface.className = 'editor-surface';
  surface.setAttribute('aria-label', label);
  surface.setAttribute('aria-busy', 'true');
  let frame = 0;
  const paint = () => {
    frame = 0;
    surface.replaceChildren(renderPreview(fragment));
  };
  const schedule = () => {
    frame ||= requestAnimationFrame(paint);
  };
  paint();
  fragment.observeDeep(schedule);
  host.append(surface);
  return () => {
    fragment.unobserveDeep(schedule);
    if (frame) cancelAnimationFrame(frame);
    surface.remove();
  };
}
