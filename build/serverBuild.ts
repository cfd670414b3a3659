import { spawn } from 'node:child_process';
import { cpSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOnceWhenStale, newestMtime, repoRoot } from './staleness.ts';

/** Where `tsc -p tsconfig.build.json` writes the compiled server, connectors and CLI. */
export const distDir = join(repoRoot, 'dist');
/** Written after a successful compile: its mtime is the build's time (a failed compile leaves none). */
const stamp = join(distDir, '.built');
const inputs = ['server', 'connectors', 'bin', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

/**
 * True when `dist/` is missing, or older than any source it is compiled from. Sources that are absent (an
 * image ships dist/ only) count as unchanged, so a deployed dist/ is never considered stale.
 */
export function serverIsStale(): boolean {
  const built = newestMtime(stamp);
  if (built === 0) return true;
  return Math.max(...inputs.map((input) => newestMtime(join(repoRoot, input)))) > built;
}

/**
 * Compiles server/, connectors/ and bin/ to JavaScript under dist/ with the project's own TypeScript
 * (imports written with `.ts` are rewritten to `.js`), from an emptied dist/ so no output of a deleted
 * source survives; `.cjs` files are copied beside the output. Rejects with tsc's exit code; its diagnostics go
 * to our stderr.
 */
export async function buildServer(): Promise<void> {
  rmSync(distDir, { recursive: true, force: true });
  const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', join(repoRoot, 'tsconfig.build.json')], {
      cwd: repoRoot,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`tsc -p tsconfig.build.json failed (exit ${code})`);
  // CommonJS helpers the compiled code imports as they are (bin/requireNode.cjs, which must parse on any Node).
  for (const dir of ['server', 'connectors', 'bin']) {
    cpSync(join(repoRoot, dir), join(distDir, dir), {
      recursive: true,
      filter: (source) => statSync(source).isDirectory() || source.endsWith('.cjs'),
    });
  }
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

/** `buildServer()` when dist/ is stale, one builder at a time across processes. */
export function ensureServerBuilt(): Promise<void> {
  return buildOnceWhenStale('server', serverIsStale, buildServer);
}
