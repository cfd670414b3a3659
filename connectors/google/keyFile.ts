import { readFileSync } from 'node:fs';
import { CredentialInputError } from '../sync/suite.ts';
import { serviceAccountKeySchema } from './credentials.ts';

/** The largest key file read; Google's are about 2.3 KB. */
const MAX_KEY_FILE_BYTES = 64 * 1024;

/**
 * Reads and checks a service account key file on the admin's machine (the CLI's `--key-file`). Errors say
 * what is wrong with the file, never what it holds: a file that is not a valid key could still hold a secret.
 */
export function readServiceAccountKey(file: string) {
  let text: string;
  try {
    const bytes = readFileSync(file);
    if (bytes.length > MAX_KEY_FILE_BYTES)
      throw new CredentialInputError('KEY_FILE_INVALID', `${file} is too large to be a service account key`);
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof CredentialInputError) throw error;
    const code = (error as { code?: unknown }).code;
    throw new CredentialInputError(
      'KEY_FILE_UNREADABLE',
      `cannot read ${file}${typeof code === 'string' ? ` (${code})` : ''}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse quotes the text around the mistake: its message could hold part of the private key.
    throw new CredentialInputError(
      'KEY_FILE_INVALID',
      `${file} is not JSON: expected a service account key file`,
    );
  }
  const parsed = serviceAccountKeySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'the file';
    throw new CredentialInputError(
      'KEY_FILE_INVALID',
      `${file} is not a Google service account key (${field}: ${issue?.code ?? 'invalid'})`,
    );
  }
  // Send the whole file (project and client ids included), as Google issued it.
  return { ...(json as Record<string, unknown>), ...parsed.data };
}
