import { beforeAll, describe, expect, it } from 'vitest';
import { builtFile, type ClientBundleFigures, clientBundleSizes } from '../../../client/bundleSizes.ts';

/** Half of the 580 KB (minified) a document page needed before its first paint until issue 17. */
const DOCUMENT_FIRST_PAINT_BUDGET = 290_000;
/** A string only the editor's code (prosemirror-view's root class) contains. */
const editorMarker = 'ProseMirror-';

describe('the web client loads what a page needs', () => {
  let figures: ClientBundleFigures;
  beforeAll(async () => {
    figures = await clientBundleSizes();
  }, 120_000);
  const page = (name: string) => {
    const found = figures.pages.find((p) => p.page === name);
    if (!found) throw new Error(`client/dist/${name} was not built`);
    return found;
  };
  const holdsEditor = (name: string) =>
    page(name).firstPaintFiles.some((f) => builtFile(f).includes(editorMarker));

  it('the editor code exists, in a chunk loaded on demand', () => {
    expect(figures.onDemand.some((c) => builtFile(c.file).includes(editorMarker))).toBe(true);
  });

  it('the documents and admin pages do not download the editor', () => {
    expect(holdsEditor('index.html')).toBe(false);
    expect(holdsEditor('admin.html')).toBe(false);
  });

  it('a document (editor page and embed frame) paints with at most half of the old editor bundle', () => {
    for (const name of ['doc.html', 'embed.html']) {
      expect(holdsEditor(name)).toBe(false);
      expect(page(name).firstPaintBytes).toBeLessThanOrEqual(DOCUMENT_FIRST_PAINT_BUDGET);
    }
  });
});
