import type { AnyExtension, NodeViewRendererProps } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';

/** The address the browser loads an image from: remote ones through this server's relay (`/api/image`). */
export function displaySrc(src: string): string {
  return /^https?:\/\//i.test(src) ? `/api/image?src=${encodeURIComponent(src)}` : src;
}

/**
 * The schema's extensions with images shown through the relay: the document keeps the original address (so
 * exports and linked remotes get it back unchanged), while the page only ever loads images from its own
 * server (CSP `img-src 'self' data:`). Same node, same attributes: only how the editor draws it differs.
 */
export function withProxiedImages(extensions: AnyExtension[]): AnyExtension[] {
  return extensions.map((extension) =>
    extension.name !== 'image'
      ? extension
      : extension.extend({
          addNodeView() {
            return ({ node }: NodeViewRendererProps) => {
              const img = document.createElement('img');
              const show = (attrs: Record<string, unknown>) => {
                img.src = displaySrc(String(attrs.src ?? ''));
                for (const name of ['alt', 'title'] as const) {
                  const value = attrs[name];
                  if (typeof value === 'string') img.setAttribute(name, value);
                  else img.removeAttribute(name);
                }
              };
              show(node.attrs);
              return {
                dom: img,
                update: (next: ProseMirrorNode) => {
                  if (next.type !== node.type) return false;
                  show(next.attrs);
                  return true;
                },
              };
            };
          },
        }),
  );
}
