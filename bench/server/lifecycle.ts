import type { BenchServer } from './servers.ts';

/**
 * Starts a server, runs `body` against it and stops it whatever happens, so a failing step never leaves a
 * process behind (run.ts additionally SIGKILLs every tracked pid on exit).
 */
export async function withServer<T>(
  start: () => Promise<BenchServer>,
  body: (server: BenchServer) => Promise<T>,
): Promise<T> {
  const server = await start();
  try {
    return await body(server);
  } finally {
    await server.stop();
  }
}
