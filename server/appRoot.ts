import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory holding Docbridge's package.json (the repository, or /app in the image), found by walking up
 * from this module: the same answer whether the server runs from its TypeScript sources or compiled under
 * dist/, so files beside the code (the built web client) are found either way.
 */
export const appRoot = findAppRoot(dirname(fileURLToPath(import.meta.url)));

function findAppRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}
