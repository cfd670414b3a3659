import { buildClient, clientIsStale, ensureClientBuilt } from '../client/buildIfStale.ts';
import { buildServer, ensureServerBuilt, serverIsStale } from './serverBuild.ts';

/**
 * `npm start`'s first step (and `npm run build`, with `--force`): builds the web client (client/dist) and
 * compiles the server (dist/) when either is missing or older than its sources, so `npm start` on a fresh
 * clone or after a pull runs current code with plain `node`, and a second start costs only an mtime walk.
 */
const force = process.argv.includes('--force');
const say = (what: string) => process.stderr.write(`docbridge: ${what}…\n`);
try {
  if (force || clientIsStale()) say('building the web client');
  await (force ? buildClient() : ensureClientBuilt());
  if (force || serverIsStale()) say('compiling the server');
  await (force ? buildServer() : ensureServerBuilt());
} catch (error) {
  process.stderr.write(
    `docbridge: build failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
