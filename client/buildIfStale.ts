import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOnceWhenStale, newestMtime, repoRoot } from '../build/staleness.ts';

const clientDir = join(repoRoot, 'client');
const distDir = join(clientDir, 'dist');
/** What the client build reads besides client/: the shared schema, and the lockfile (dependency updates). */
const extraInputs = [join(repoRoot, 'connectors/model'), join(repoRoot, 'package-lock.json')];

/** True when `client/dist` is missing or older than any source it is built from (a fast mtime check). */
export function clientIsStale(): boolean {
  const built = newestMtime(join(distDir, 'index.html'));
  if (built === 0 || newestMtime(join(distDir, 'embed.js')) === 0) return true;
  return Math.max(newestMtime(clientDir), ...extraInputs.map(newestMtime)) > built;
}

/**
 * Builds the web client with Vite when it is stale, so `npm start` on a fresh clone serves a working editor
 * and the browser tests never run against an old build. Several processes may call it at once (test
 * workers): one builds while the others wait for it.
 */
export function ensureClientBuilt(): Promise<void> {
  return buildOnceWhenStale('client', clientIsStale, buildClient);
}

/** Builds the web client into client/dist with Vite, whether or not it is stale. */
export async function buildClient(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: join(clientDir, 'vite.config.ts'), logLevel: 'warn' });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (clientIsStale()) process.stderr.write('docbridge: building the web client…\n');
  await ensureClientBuilt();
}
