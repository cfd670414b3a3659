import { readFileSync } from 'node:fs';
import { CredentialInputError } from '../sync/suite.ts';

const MAX_SECRET_FILE_BYTES = 64 * 1024;

/**
 * Reads a client secret or a certificate PEM from a file on the admin's machine (the CLI's `--secret-file`,
 * `--certificate-file`), so it never appears on a command line. Errors name the file and what is wrong with
 * it, never its content.
 */
export function readSecretFile(file: string, what: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new CredentialInputError(
      'SECRET_FILE_UNREADABLE',
      `cannot read ${file}${typeof code === 'string' ? ` (${code})` : ''}`,
    );
  }
  if (bytes.length > MAX_SECRET_FILE_BYTES)
    throw new CredentialInputError('SECRET_FILE_INVALID', `${file} is too large to be a ${what}`);
  const text = bytes.toString('utf8').trim();
  if (!text) throw new CredentialInputError('SECRET_FILE_INVALID', `${file} is empty`);
  return text;
}
