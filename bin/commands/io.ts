/** What a CLI command may do to the outside world, passed in so tests can run commands in-process. */
export interface CliIo {
  readStdin(): Promise<Uint8Array>;
  writeStdout(bytes: Uint8Array): Promise<void>;
  /** One line on standard error (the entry point adds the `docbridge: ` prefix). */
  warn(line: string): void;
  /** Environment variables (`DOCBRIDGE_URL`, `DOCBRIDGE_TOKEN`); the process environment when absent. */
  env?: Readonly<Record<string, string | undefined>>;
  /** How admin commands reach the server; the global `fetch` when absent. */
  fetch?: typeof fetch;
}

/** A mistake in the command line itself (exit code 2), as opposed to a failed conversion (exit code 1). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Writes `text` to standard output as UTF-8. */
export function printText(io: CliIo, text: string): Promise<void> {
  return io.writeStdout(new TextEncoder().encode(text.endsWith('\n') ? text : `${text}\n`));
}

/** The real process streams. */
export const processIo: CliIo = {
  async readStdin() {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return new Uint8Array(Buffer.concat(chunks));
  },
  writeStdout(bytes) {
    return new Promise((resolve, reject) => {
      process.stdout.write(bytes, (err) => (err ? reject(err) : resolve()));
    });
  },
  warn(line) {
    process.stderr.write(`docbridge: ${line}\n`);
  },
  env: process.env,
};
