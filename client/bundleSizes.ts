import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ensureClientBuilt } from './buildIfStale.ts';

const dist = fileURLToPath(new URL('./dist', import.meta.url));

/** What one page of the web client downloads before its first paint, and the chunks it may load later. */
export interface PageBundle {
  page: string;
  /** The module script and every `modulepreload` of the page: the JavaScript on its critical path. */
  firstPaintFiles: string[];
  /** Their total size, minified (bytes), and gzipped as the wire carries it (bytes). */
  firstPaintBytes: number;
  firstPaintGzipBytes: number;
}

/** Every page's first paint, and every chunk no page needs before painting (loaded on demand). */
export interface ClientBundleFigures {
  pages: PageBundle[];
  onDemand: { file: string; bytes: number; gzipBytes: number }[];
}

/** The text of a built file of client/dist, e.g. `assets/doc-1234.js`. */
export function builtFile(file: string): string {
  return readFileSync(join(dist, file), 'utf8');
}

const sizes = (file: string) => {
  const bytes = readFileSync(join(dist, file));
  return { bytes: bytes.length, gzipBytes: gzipSync(bytes).length };
};

/**
 * Builds the web client if it is stale and reads what each page (`client/dist/*.html`) references: the
 * JavaScript a browser fetches before it can paint, as Vite emitted it (minified).
 */
export async function clientBundleSizes(): Promise<ClientBundleFigures> {
  await ensureClientBuilt();
  const pages = readdirSync(dist)
    .filter((file) => file.endsWith('.html'))
    .sort()
    .map((page) => {
      const html = readFileSync(join(dist, page), 'utf8');
      const files = [
        ...html.matchAll(/<script type="module"[^>]*\ssrc="\/([^"]+)"/g),
        ...html.matchAll(/<link rel="modulepreload"[^>]*\shref="\/([^"]+)"/g),
      ].map((match) => match[1]!);
      const total = files
        .map(sizes)
        .reduce((a, b) => ({ bytes: a.bytes + b.bytes, gzipBytes: a.gzipBytes + b.gzipBytes }), {
          bytes: 0,
          gzipBytes: 0,
        });
      return {
        page,
        firstPaintFiles: files,
        firstPaintBytes: total.bytes,
        firstPaintGzipBytes: total.gzipBytes,
      };
    });
  const critical = new Set(pages.flatMap((p) => p.firstPaintFiles));
  const onDemand = readdirSync(join(dist, 'assets'))
    .map((file) => `assets/${file}`)
    .filter((file) => file.endsWith('.js') && !critical.has(file) && statSync(join(dist, file)).isFile())
    .map((file) => ({ file, ...sizes(file) }))
    .sort((a, b) => b.bytes - a.bytes);
  return { pages, onDemand };
}
