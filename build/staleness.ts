import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the directory holding package.json). */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * The newest modification time (ms) of `path` or of any file below it, skipping build outputs, node_modules
 * and dot entries; 0 when `path` does not exist (a missing input never makes a build stale).
 */
export function newestMtime(path: string): number {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'dist' || entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/**
 * Runs `build` when `isStale()` says so, with at most one builder at a time across processes (test workers,
 * several `npm start`s): a lock directory under node_modules/.cache, taken with an atomic `mkdir`; the others
 * wait for it and re-check. A lock older than two minutes belongs to a build that died and is broken.
 */
export async function buildOnceWhenStale(
  name: string,
  isStale: () => boolean,
  build: () => Promise<void>,
): Promise<void> {
  if (!isStale()) return;
  const lock = join(repoRoot, `node_modules/.cache/docbridge-${name}-build.lock`);
  mkdirSync(join(lock, '..'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - newestMtime(lock) > 120_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (!isStale()) return;
    }
  }
  try {
    if (isStale()) await build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
