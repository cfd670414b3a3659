/**
 * A failed call to the Docbridge API, with the server's stable reason (`token-expired`, `origin-not-allowed`,
 * `document-not-granted`...) as `code`, so the UI can say what happened and tests can match on it.
 */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, status: number, message?: string) {
    super(message ?? `request failed: ${code}`);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
}
