/**
 * The one error every converter throws for input it refuses or cannot handle. `code` is stable and meant
 * for the API, the UI, the CLI and the logs (e.g. `DOCX_NOT_A_ZIP`, `ZIP_TOO_LARGE`, `XML_DOCTYPE_FORBIDDEN`,
 * `NESTING_TOO_DEEP`, `INPUT_TRUNCATED`, `SCHEMA_INVALID`, `FORMAT_UNAVAILABLE`); the message may change.
 */
export class ConversionError extends Error {
  override readonly name = 'ConversionError';

  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `err` is a ConversionError, optionally with the given code. */
export function isConversionError(err: unknown, code?: string): err is ConversionError {
  return err instanceof ConversionError && (code === undefined || err.code === code);
}
