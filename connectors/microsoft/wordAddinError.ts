/** Why `POST /api/word-addin/session` refused, as a stable code the task pane shows in words. */
export type WordAddinErrorCode =
  | 'WORD_ADDIN_INVALID_REQUEST'
  | 'WORD_ADDIN_TOKEN_INVALID'
  | 'WORD_ADDIN_TOKEN_EXPIRED'
  | 'WORD_ADDIN_WRONG_AUDIENCE'
  | 'WORD_ADDIN_TENANT_UNKNOWN'
  | 'WORD_ADDIN_NOT_CONFIGURED'
  | 'WORD_ADDIN_NOT_LINKED'
  | 'WORD_ADDIN_NO_ACCESS'
  | 'WORD_ADDIN_RATE_LIMITED'
  | 'WORD_ADDIN_UNAVAILABLE';

/** The HTTP status of each code (docs/word-addin.md lists them). */
export const wordAddinStatus: Record<WordAddinErrorCode, 400 | 401 | 403 | 404 | 429 | 502> = {
  WORD_ADDIN_INVALID_REQUEST: 400,
  WORD_ADDIN_TOKEN_INVALID: 401,
  WORD_ADDIN_TOKEN_EXPIRED: 401,
  WORD_ADDIN_WRONG_AUDIENCE: 401,
  WORD_ADDIN_TENANT_UNKNOWN: 403,
  WORD_ADDIN_NOT_CONFIGURED: 403,
  WORD_ADDIN_NOT_LINKED: 404,
  WORD_ADDIN_NO_ACCESS: 403,
  WORD_ADDIN_RATE_LIMITED: 429,
  WORD_ADDIN_UNAVAILABLE: 502,
};

/**
 * A refused Word add-in sign-in. The message is Docbridge's own and safe to show: it never holds token
 * material, and Entra's or Graph's text is reduced to its error number.
 */
export class WordAddinError extends Error {
  constructor(
    readonly code: WordAddinErrorCode,
    message: string,
  ) {
    super(message);
  }

  get status(): (typeof wordAddinStatus)[WordAddinErrorCode] {
    return wordAddinStatus[this.code];
  }
}
