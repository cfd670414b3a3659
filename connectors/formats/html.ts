/**
 * HTML export (a standalone, properly escaped document) and import (through sanitize-html, then the
 * schema's own parse rules on a happy-dom DOM). Scripts, event handlers, styles, frames, forms and unsafe
 * URL schemes never survive import: sanitize-html removes them by allowlist, and the URL policy checks
 * every link and image again on the resulting document.
 */
import type { JSONContent } from '@tiptap/core';
import { DOMSerializer, DOMParser as PMDOMParser } from '@tiptap/pm/model';
import { Window } from 'happy-dom';
import sanitizeHtml from 'sanitize-html';
import { ConversionError } from '../model/errors.ts';
import { normalizeDoc, schema, validateDoc } from '../model/schema.ts';
import { type ConversionResult, type ConversionWarning, WarningCollector } from '../model/warnings.ts';
import { collapseWhitespace } from './collapseWhitespace.ts';
import { dropUnsafeUrls, isSafeImageSrc } from './urlPolicy.ts';

/** Largest HTML input accepted, in characters. */
export const MAX_HTML_CHARS = 20_000_000;
/** Deepest element nesting kept on import; deeper elements are unwrapped (their text kept). */
export const MAX_HTML_NESTING = 200;

const headings = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];
const alignStyle = { 'text-align': [/^(left|right|center)$/] };

/** The sanitiser's allowlist: exactly the elements and attributes the schema's parse rules read. */
const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    ...headings,
    'ul',
    'ol',
    'li',
    'blockquote',
    'pre',
    'code',
    'hr',
    'br',
    'strong',
    'b',
    'em',
    'i',
    'u',
    's',
    'strike',
    'del',
    'a',
    'table',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
    'img',
    'span',
    'div',
    'section',
    'article',
    'main',
    'header',
    'footer',
    'sub',
    'sup',
    'mark',
    'small',
  ],
  allowedAttributes: {
    a: ['href', 'target', 'rel', 'class', 'title'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    p: ['data-block-style'],
    ...Object.fromEntries(headings.map((h) => [h, ['data-block-style']])),
    ol: ['start', 'type'],
    code: ['class'],
    td: ['colspan', 'rowspan', 'colwidth', 'style', 'align'],
    th: ['colspan', 'rowspan', 'colwidth', 'style', 'align'],
    span: [
      'data-atom-kind',
      'data-atom-source',
      'data-atom-payload',
      'data-atom-seal',
      'data-note-kind',
      'data-note-source',
      'data-note-payload',
      'data-note-seal',
    ],
    div: ['data-atom-kind', 'data-atom-source', 'data-atom-payload', 'data-atom-seal'],
  },
  allowedStyles: { td: alignStyle, th: alignStyle },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https', 'data'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'action', 'formaction', 'xlink:href'],
  allowProtocolRelative: false,
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'template', 'iframe', 'object'],
  nestingLimit: MAX_HTML_NESTING,
  exclusiveFilter: (frame) => frame.tag === 'img' && !isSafeImageSrc(frame.attribs.src ?? ''),
};

const dangerousTags = new Set(['script', 'iframe', 'object', 'embed', 'form', 'frame', 'frameset', 'base']);

function withWindow<T>(run: (window: Window) => T): T {
  const window = new Window({
    settings: {
      disableJavaScriptEvaluation: true,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
      disableIframePageLoading: true,
      disableComputedStyleRendering: true,
    },
  });
  try {
    return run(window);
  } finally {
    window.happyDOM.abort();
    window.close();
  }
}

/** Sanitises untrusted HTML to the schema's allowlist; exported so tests and other importers can reuse it. */
export function sanitizeForSchema(html: string, warnings?: WarningCollector): string {
  let depth = 0;
  return sanitizeHtml(html, {
    ...sanitizeOptions,
    onOpenTag: (name, attribs) => {
      depth += 1;
      if (!warnings) return;
      if (depth > MAX_HTML_NESTING)
        warnings.add('HTML_NESTING_TRUNCATED', 'Very deeply nested elements were unwrapped');
      if (dangerousTags.has(name) || Object.keys(attribs).some((a) => a.toLowerCase().startsWith('on'))) {
        warnings.add('HTML_UNSAFE_CONTENT_REMOVED', 'Scripts, frames, forms or event handlers were removed');
      }
    },
    onCloseTag: () => {
      depth -= 1;
    },
  });
}

/** Reads untrusted HTML (a fragment or a whole document) into a schema document. */
export function readHtml(html: string): ConversionResult<JSONContent> {
  if (html.length > MAX_HTML_CHARS) {
    throw new ConversionError('HTML_TOO_LARGE', `HTML input is above ${MAX_HTML_CHARS} characters`);
  }
  const warnings = new WarningCollector();
  const clean = sanitizeForSchema(html, warnings);
  const parsed = withWindow((window) => {
    const dom = new window.DOMParser().parseFromString(
      `<!DOCTYPE html><html><body>${clean}</body></html>`,
      'text/html',
    );
    return PMDOMParser.fromSchema(schema)
      .parse(dom.body as unknown as globalThis.Node)
      .toJSON() as JSONContent;
  });
  const { doc, dropped } = dropUnsafeUrls(parsed);
  if (dropped) warnings.add('HTML_UNSAFE_URL_DROPPED', 'Links or images with unsafe URLs were removed');
  return { doc: normalizeDoc(collapseWhitespace(doc)), warnings: warnings.list() };
}

/** Options of `writeHtml`. */
export interface WriteHtmlOptions {
  /** The document title; default: the text of the first title or heading, else "Document". */
  title?: string;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function defaultTitle(doc: JSONContent): string {
  const blocks = doc.content ?? [];
  const titled =
    blocks.find((b) => b.attrs?.blockStyle === 'title') ?? blocks.find((b) => b.type === 'heading');
  const text = (titled ? validateDoc({ type: 'doc', content: [titled] }).textContent : '').trim();
  return text || 'Document';
}

const stylesheet =
  'body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5}' +
  'table{border-collapse:collapse}td,th{border:1px solid #999;padding:.25rem .5rem;vertical-align:top}' +
  '.docbridge-atom{background:#eef;border:1px solid #99c;border-radius:.25rem;padding:0 .25rem}' +
  // Notes read in place: the number as a superscript, then the note text, smaller and set apart.
  'body{counter-reset:footnote endnote}.docbridge-note{font-size:.85em;color:#444}' +
  '.docbridge-note::before{vertical-align:super;font-size:.75em;margin-right:.2em}' +
  '.docbridge-note[data-note-kind=footnote]{counter-increment:footnote}' +
  '.docbridge-note[data-note-kind=footnote]::before{content:"[" counter(footnote) "] "}' +
  '.docbridge-note[data-note-kind=endnote]{counter-increment:endnote}' +
  '.docbridge-note[data-note-kind=endnote]::before{content:"[" counter(endnote, lower-roman) "] "}';

/**
 * Writes a standalone HTML5 document (UTF-8, escaped by the DOM serialiser). Atoms are kept as their
 * labelled chips with their data attributes, so `readHtml` gives them back; unsafe URLs are dropped.
 */
export function writeHtml(
  doc: JSONContent,
  options: WriteHtmlOptions = {},
): {
  html: string;
  warnings: ConversionWarning[];
} {
  const warnings = new WarningCollector();
  const { doc: safe, dropped } = dropUnsafeUrls(doc);
  if (dropped) warnings.add('HTML_UNSAFE_URL_DROPPED', 'Links or images with unsafe URLs were not written');
  const node = validateDoc(safe);
  const body = withWindow((window) => {
    const wrap = window.document.createElement('div');
    const fragment = DOMSerializer.fromSchema(schema).serializeFragment(node.content, {
      document: window.document as unknown as Document,
    });
    wrap.appendChild(fragment as unknown as Parameters<typeof wrap.appendChild>[0]);
    return wrap.innerHTML;
  });
  const title = escapeHtml(options.title ?? defaultTitle(safe));
  const html =
    '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<meta name="generator" content="Docbridge">\n<title>${title}</title>\n<style>${stylesheet}</style>\n` +
    `</head>\n<body>\n${body}\n</body>\n</html>\n`;
  return { html, warnings: warnings.list() };
}
