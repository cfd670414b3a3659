/**
 * `docbridge credentials add google --key-file F`: reads a Google service account key file locally, checks
 * it, and sends it once to `POST /api/credentials`. The key is never printed, not even in an error: a file
 * that is not a valid key is reported by what is wrong with it, never by its content.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { serviceAccountKeySchema } from '../../connectors/google/credentials.ts';
import { AdminCliError, adminClient, adminOptions, adminUsageNotes } from './adminClient.ts';
import { printResult } from './adminOutput.ts';
import { createdCredential } from './adminResponses.ts';
import { microsoftAddUsage, runMicrosoftAdd } from './credentialsAddMicrosoft.ts';
import { type CliIo, UsageError } from './io.ts';

/** Help text of `credentials add`. */
export const credentialsAddUsage = `usage: docbridge credentials add google --key-file FILE [--name NAME] [--subject EMAIL]
                                [--endpoints-docs URL --endpoints-drive URL --endpoints-token URL]
  --key-file FILE      the service account's JSON key file (read here, sent once, never printed)
  --name NAME          a name for admins (default: the service account's e-mail address)
  --subject EMAIL      the Workspace user to act as, with domain-wide delegation
  --endpoints-*  URL   private or sovereign Docs, Drive and token endpoints (default: Google's)
${microsoftAddUsage}
${adminUsageNotes}`;

/** The largest key file read; Google's are about 2.3 KB. */
const MAX_KEY_FILE_BYTES = 64 * 1024;

/** Reads and checks a key file; errors say what is wrong, never what the file holds. */
export function readServiceAccountKey(file: string) {
  let text: string;
  try {
    const bytes = readFileSync(file);
    if (bytes.length > MAX_KEY_FILE_BYTES)
      throw new AdminCliError('KEY_FILE_INVALID', `${file} is too large to be a service account key`);
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof AdminCliError) throw error;
    const code = (error as { code?: unknown }).code;
    throw new AdminCliError(
      'KEY_FILE_UNREADABLE',
      `cannot read ${file}${typeof code === 'string' ? ` (${code})` : ''}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse quotes the text around the mistake: its message could hold part of the private key.
    throw new AdminCliError('KEY_FILE_INVALID', `${file} is not JSON: expected a service account key file`);
  }
  const parsed = serviceAccountKeySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'the file';
    throw new AdminCliError(
      'KEY_FILE_INVALID',
      `${file} is not a Google service account key (${field}: ${issue?.code ?? 'invalid'})`,
    );
  }
  // Send the whole file (project and client ids included), as Google issued it.
  return { ...(json as Record<string, unknown>), ...parsed.data };
}

/** Runs `credentials add`; prints the new credential's id and fingerprint. */
export async function runCredentialsAdd(args: string[], io: CliIo): Promise<void> {
  if (args[0] === 'microsoft') return runMicrosoftAdd(args.slice(1), io);
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      ...adminOptions,
      'key-file': { type: 'string' },
      name: { type: 'string' },
      subject: { type: 'string' },
      'endpoints-docs': { type: 'string' },
      'endpoints-drive': { type: 'string' },
      'endpoints-token': { type: 'string' },
    },
  });
  const [provider, ...extra] = positionals;
  if (provider !== 'google' || extra.length > 0)
    throw new UsageError(
      `credentials add takes the provider, google or microsoft${provider && provider !== 'google' ? ` (not ${provider})` : ''}\n${credentialsAddUsage}`,
    );
  if (!values['key-file']) throw new UsageError(`--key-file is required\n${credentialsAddUsage}`);
  const client = adminClient(values.server, io);
  const key = readServiceAccountKey(values['key-file']);
  const endpoints = {
    ...(values['endpoints-docs'] ? { docs: values['endpoints-docs'] } : {}),
    ...(values['endpoints-drive'] ? { drive: values['endpoints-drive'] } : {}),
    ...(values['endpoints-token'] ? { token: values['endpoints-token'] } : {}),
  };
  const name = values.name ?? key.client_email;
  const created = await client.request('POST', '/api/credentials', createdCredential, {
    provider: 'google',
    name,
    serviceAccountKey: key,
    ...(values.subject ? { subject: values.subject } : {}),
    endpoints,
  });
  await printResult(
    io,
    values.json,
    created,
    () =>
      `Added Google credential ${created.id} (${name}), fingerprint ${created.fingerprint}.\n` +
      'The key is stored encrypted and is never shown again; you may delete the key file.',
  );
}
