const allowedProtocols = new Set(['http:', 'https:', 'mailto:', 'tel:']);

/**
 * Turns what a user typed into a link target, or null when it must not become a link. Only http(s), mailto
 * and tel survive: `javascript:`, `data:`, `vbscript:` and anything else a browser would run or render are
 * refused, however they are disguised (case, whitespace, control characters, entities already decoded by
 * the URL parser). A bare `example.org/page` gets `https://`.
 */
export function safeLinkHref(input: string): string | null {
  // Browsers ignore ASCII control characters and spaces inside a scheme: strip them before judging.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point here.
  const cleaned = input.replace(/[\u0000-\u0020\u007f]+/g, '');
  if (cleaned === '') return null;
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(cleaned);
  const candidate = hasScheme ? cleaned : `https://${cleaned.replace(/^\/\//, '')}`;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (!allowedProtocols.has(url.protocol)) return null;
  if ((url.protocol === 'http:' || url.protocol === 'https:') && !url.hostname) return null;
  return url.href;
}

/** Same rule for image sources: only https (and http on this server's own origin during development). */
export function safeImageSrc(input: string): string | null {
  const href = safeLinkHref(input);
  if (!href) return null;
  const url = new URL(href);
  if (url.protocol === 'https:') return href;
  if (url.protocol === 'http:' && url.origin === location.origin) return href;
  return null;
}
