import { pino } from 'pino';

/**
 * The process logger: pino JSON on stdout. Paths that could ever carry a credential are redacted as a second
 * line of defence; the first is never to pass tokens, secrets or document content to a log call at all.
 */
export function createLogger(level: string) {
  return pino({
    level,
    base: { service: 'docbridge' },
    redact: {
      paths: [
        'token',
        '*.token',
        'authorization',
        '*.authorization',
        'headers.authorization',
        'headers.cookie',
        'secret',
        '*.secret',
        'password',
        '*.password',
        'privateKey',
        '*.privateKey',
      ],
      censor: '[redacted]',
    },
  });
}

export type Logger = ReturnType<typeof createLogger>;
