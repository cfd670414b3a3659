/**
 * The error the Google Docs emulator engine throws, shaped like Google's JSON error body so the HTTP
 * emulator can send it as is: `{ error: { code, message, status } }`. `code` (the stable string) is the
 * Google status (`INVALID_ARGUMENT`, `FAILED_PRECONDITION`...), as the rest of Docbridge expects typed errors.
 */
export class GoogleApiError extends Error {
  override readonly name = 'GoogleApiError';

  constructor(
    readonly httpStatus: number,
    readonly status: string,
    message: string,
  ) {
    super(message);
  }

  /** The stable code other modules switch on: the Google status string. */
  get code(): string {
    return this.status;
  }

  /** Google's error body, exactly as documents.batchUpdate answers it. */
  toBody(): { error: { code: number; message: string; status: string } } {
    return { error: { code: this.httpStatus, message: this.message, status: this.status } };
  }
}

/** Thrown inside a request handler; `applyRequests` prefixes it with `Invalid requests[i].<kind>: `. */
export class RequestInvalid extends Error {
  override readonly name = 'RequestInvalid';
}

/** Shorthand used by every request handler: reject the current request with Google's wording style. */
export function invalid(message: string): never {
  throw new RequestInvalid(message);
}
