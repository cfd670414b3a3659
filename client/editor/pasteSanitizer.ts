import { safeLinkHref } from './safeLink.ts';

/** Elements that never carry document content: scripts, styles, embedded objects and Word's metadata. */
const dropped =
  'script, style, noscript, template, iframe, frame, object, embed, applet, meta, link, base, form, input, button, select, textarea, svg, math, xml';

/**
 * `transformPastedHTML` for the editor: pasted HTML from Word, Google Docs or a web page keeps its structure
 * (the schema-based parser then keeps headings, lists, tables, marks and links) while anything executable is
 * removed first: script-like elements, event-handler attributes, and link or image targets that are not
 * safe. Word's conditional comments and `o:p` filler are dropped too. Parsed with an inert document, so
 * nothing in the pasted HTML runs or loads while it is cleaned.
 */
export function sanitizePastedHtml(html: string): string {
  const parsed = new DOMParser().parseFromString(stripWordComments(html), 'text/html');
  for (const element of parsed.querySelectorAll(dropped)) element.remove();
  for (const element of parsed.body.querySelectorAll('*')) {
    if (element.tagName.includes(':')) {
      // Office namespaced elements (o:p, v:shape, w:sdt...): keep their text, drop the wrapper.
      element.replaceWith(...element.childNodes);
      continue;
    }
    for (const attribute of [...element.attributes]) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith('on') || name === 'srcdoc' || name === 'formaction' || name === 'xlink:href') {
        element.removeAttribute(attribute.name);
      }
    }
    if (element instanceof HTMLAnchorElement && element.hasAttribute('href')) {
      const safe = safeLinkHref(element.getAttribute('href') ?? '');
      if (safe) element.setAttribute('href', safe);
      else element.removeAttribute('href');
    }
    if (element instanceof HTMLImageElement) {
      const src = element.getAttribute('src') ?? '';
      // Only absolute web addresses and raster data URLs: a relative or file: source cannot load here.
      const isRasterData = /^data:image\/(png|jpeg|gif|webp);/i.test(src);
      const safe = isRasterData ? src : /^https?:\/\//i.test(src.trim()) ? safeLinkHref(src) : null;
      if (safe) element.setAttribute('src', safe);
      else element.remove();
    }
  }
  return parsed.body.innerHTML;
}

/** Removes Word's `<!--[if ...]>...<![endif]-->` blocks, which may hide markup behind a comment. */
function stripWordComments(html: string): string {
  return html.replace(/<!--\[if[\s\S]*?<!\[endif\]-->/gi, '').replace(/<!\[if[\s\S]*?<!\[endif\]>/gi, '');
}
