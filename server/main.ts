// First: refuse an unsupported Node with one line before the SQLite addon can crash it.
import '../bin/requireNode.cjs';
import { ConfigError, loadConfig } from './config.ts';
import { installLastResort } from './lastResort.ts';
import { createLogger } from './logger.ts';
import { startServer } from './startServer.ts';

/** `npm start`: validate the configuration, start the server, print where to open it, stop cleanly on signals. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`docbridge: configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  installLastResort(logger);
  const server = await startServer(config, logger);
  if (server.signInLink) {
    // The sign-in link goes to the terminal only, never to the JSON log.
    process.stderr.write(
      `\n  Docbridge is running at ${server.url}\n  Open this link to sign in (valid until the server stops):\n\n    ${server.signInLink}\n\n`,
    );
  }
  const stop = async () => {
    logger.info('shutting down');
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `docbridge: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
