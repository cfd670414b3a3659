/**
 * A failed call to the Docbridge API, with the server's stable reason (`token-expired`, `origin-not-allowed`,
 * `document-not-granted`...) as `code`, so the UI can say what happened and tests can match on it.
 */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  /** A finer stable code when the server gives one (a converter's `DOCX_NOT_A_ZIP`...). */
  readonly detail: string | undefined;
  /** True when the server explained the refusal in words (shown to the user as is). */
  readonly explained: boolean;
  /** The request body property the refusal is about, when the server names one (so a form marks that field). */
  readonly field: string | undefined;

  constructor(code: string, status: number, message?: string, detail?: string, field?: string) {
    super(message ?? `request failed: ${code}`);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.detail = detail;
    this.explained = message !== undefined;
    this.field = field;
  }
}
