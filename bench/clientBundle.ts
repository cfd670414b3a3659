import { type ClientBundleFigures, clientBundleSizes } from '../client/bundleSizes.ts';
import { formatTable } from './server/report.ts';

/** Figure 0b: the JavaScript each web client page needs before its first paint (see client/bundleSizes.ts). */
export const runClientBundleBench = clientBundleSizes;

/** The figures as a table: per page, then the on-demand chunks. */
export function clientBundleTable(figures: ClientBundleFigures): string {
  const kb = (bytes: number) => Math.round(bytes / 100) / 10;
  return formatTable(
    'Web client JavaScript (kB, minified / gzip): first paint per page, then chunks loaded on demand',
    ['page or chunk', 'kB', 'gzip kB'],
    [
      ...figures.pages.map((p) => [p.page, kb(p.firstPaintBytes), kb(p.firstPaintGzipBytes)]),
      ...figures.onDemand.map((c) => [`(on demand) ${c.file}`, kb(c.bytes), kb(c.gzipBytes)]),
    ],
  );
}
