import type { Logger } from './logger.ts';

/**
 * The process-level last resort. Every handler (HTTP, upgrade, WebSocket message, timers, connector
 * callbacks) is meant to fail its own request or connection; an error that still escapes is a bug in one of
 * them. It is logged loudly at `error` with its stack (the fuzz tests fail on any such line), but it does not
 * end the process: one request must not drop every department's sessions. Durability does not depend on this choice: nothing is acknowledged before it is committed.
 */
export function installLastResort(logger: Logger): void {
  const report = (kind: string) => (error: unknown) => {
    logger.error(
      {
        kind,
        err:
          error instanceof Error
            ? { type: error.name, message: error.message, stack: error.stack }
            : { type: typeof error, message: String(error) },
      },
      'uncaught error: a handler let it escape (a bug); the process keeps serving',
    );
  };
  process.on('uncaughtException', report('uncaughtException'));
  process.on('unhandledRejection', report('unhandledRejection'));
}
