import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const clientDir = join(root, 'client');
const distDir = join(clientDir, 'dist');
/** What the client build reads besides client/: the shared schema, and the lockfile (dependency updates). */
const extraInputs = [join(root, 'connectors/model'), join(root, 'package-lock.json')];

function newestMtime(path: string): number {
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

/** True when `client/dist` is missing or older than any source it is built from (a fast mtime check). */
export function clientIsStale(): boolean {
  const built = newestMtime(join(distDir, 'index.html'));
  if (built === 0 || newestMtime(join(distDir, 'embed.js')) === 0) return true;
  return Math.max(newestMtime(clientDir), ...extraInputs.map(newestMtime)) > built;
}

/**
 * Builds the web client with Vite when it is stale, so `npm start` on a fresh clone serves a working editor
 * and the browser tests never run against an old build. Several processes may call it at once (test
 * workers): a lock directory makes one build while the others wait for it.
 */
export async function ensureClientBuilt(): Promise<void> {
  if (!clientIsStale()) return;
  const lock = join(root, 'node_modules/.cache/docbridge-client-build.lock');
  mkdirSync(join(lock, '..'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another process builds; a lock older than two minutes belongs to a build that died.
      if (Date.now() - newestMtime(lock) > 120_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (!clientIsStale()) return;
    }
  }
  try {
    if (!clientIsStale()) return;
    const { build } = await import('vite');
    await build({ configFile: join(clientDir, 'vite.config.ts'), logLevel: 'warn' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (clientIsStale()) process.stderr.write('docbridge: building the web client…\n');
  await ensureClientBuilt();
}
