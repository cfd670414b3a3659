/**
 * Production code never imports test code: the Google request engine and the emulators live under
 * `test/emulators/`, and nothing in `server/`, `connectors/` or `bin/` (what `npm run build` compiles and the
 * image ships) may reach into `test/`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(file);
    return /\.(ts|mts|cts|js|mjs|cjs)$/.test(entry.name) ? [file] : [];
  });
}

const SPECIFIER = /(?:from\s+|import\s*\(?\s*|require\s*\(\s*)['"]([^'"]+)['"]/g;

describe('production code', () => {
  it('imports nothing under test/', () => {
    const testDir = path.resolve('test');
    const offenders: string[] = [];
    const files = ['server', 'connectors', 'bin'].flatMap(sources);
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
        if (!specifier!.startsWith('.')) continue;
        const target = path.resolve(path.dirname(file), specifier!);
        if (target === testDir || target.startsWith(`${testDir}${path.sep}`))
          offenders.push(`${file} -> ${specifier}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
