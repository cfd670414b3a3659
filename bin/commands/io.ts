/** What a CLI command may do to the outside world, passed in so tests can run commands in-process. */
export interface CliIo {
  readStdin(): Promise<Uint8Array>;
  writeStdout(bytes: Uint8Array): Promise<void>;
  /** One line on standard error (the entry point adds the `docbridge: ` prefix). */
  warn(line: string): void;
}

/** A mistake in the command line itself (exit code 2), as opposed to a failed conversion (exit code 1). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
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
};
