/**
 * `docbridge credentials add microsoft --tenant ID --client ID (--secret-file F | --certificate-file F)`: reads
 * the app's client secret or certificate (PEM with its private key) from a local file, so it never appears
 * on a command line or in shell history, and sends it once to `POST /api/credentials`. Never printed.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AdminCliError, adminClient, adminOptions, adminUsageNotes } from './adminClient.ts';
import { printResult } from './adminOutput.ts';
import { createdCredential } from './adminResponses.ts';
import { type CliIo, UsageError } from './io.ts';

/** Help text of `credentials add microsoft`. */
export const microsoftAddUsage = `usage: docbridge credentials add microsoft --tenant ID --client ID (--secret-file FILE | --certificate-file FILE)
                                [--name NAME] [--endpoints-graph URL --endpoints-login URL]
  --tenant ID             the directory (tenant) id of the Entra app registration
  --client ID             its application (client) id
  --secret-file FILE      a file holding the client secret's value (read here, sent once, never printed)
  --certificate-file FILE or a PEM file with the certificate and its private key
  --endpoints-*  URL      a national cloud's Graph and sign-in endpoints (default: the global cloud)`;

const MAX_SECRET_FILE_BYTES = 64 * 1024;

/** Reads a secret file; errors name the file and what is wrong, never its content. */
function readSecretFile(file: string, what: string): string {
  try {
    const bytes = readFileSync(file);
    if (bytes.length > MAX_SECRET_FILE_BYTES)
      throw new AdminCliError('SECRET_FILE_INVALID', `${file} is too large to be a ${what}`);
    const text = bytes.toString('utf8').trim();
    if (!text) throw new AdminCliError('SECRET_FILE_INVALID', `${file} is empty`);
    return text;
  } catch (error) {
    if (error instanceof AdminCliError) throw error;
    const code = (error as { code?: unknown }).code;
    throw new AdminCliError(
      'SECRET_FILE_UNREADABLE',
      `cannot read ${file}${typeof code === 'string' ? ` (${code})` : ''}`,
    );
  }
}

/** Runs `credentials add microsoft`; prints the new credential's id and fingerprint. */
export async function runMicrosoftAdd(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      ...adminOptions,
      tenant: { type: 'string' },
      client: { type: 'string' },
      'secret-file': { type: 'string' },
      'certificate-file': { type: 'string' },
      name: { type: 'string' },
      'endpoints-graph': { type: 'string' },
      'endpoints-login': { type: 'string' },
    },
  });
  if (positionals.length > 0)
    throw new UsageError(`unexpected ${positionals.join(' ')}\n${microsoftAddUsage}\n${adminUsageNotes}`);
  if (!values.tenant || !values.client)
    throw new UsageError(`--tenant and --client are required\n${microsoftAddUsage}\n${adminUsageNotes}`);
  if (!values['secret-file'] === !values['certificate-file']) {
    throw new UsageError(
      `give exactly one of --secret-file or --certificate-file\n${microsoftAddUsage}\n${adminUsageNotes}`,
    );
  }
  const client = adminClient(values.server, io);
  const proof = values['secret-file']
    ? { clientSecret: readSecretFile(values['secret-file'], 'client secret') }
    : { certificate: readSecretFile(values['certificate-file']!, 'certificate') };
  const endpoints = {
    ...(values['endpoints-graph'] ? { graph: values['endpoints-graph'] } : {}),
    ...(values['endpoints-login'] ? { login: values['endpoints-login'] } : {}),
  };
  const name = values.name ?? `Microsoft app ${values.client}`;
  const created = await client.request('POST', '/api/credentials', createdCredential, {
    provider: 'microsoft',
    name,
    tenantId: values.tenant,
    clientId: values.client,
    ...proof,
    endpoints,
  });
  await printResult(
    io,
    values.json,
    created,
    () =>
      `Added Microsoft credential ${created.id} (${name}), fingerprint ${created.fingerprint}.\n` +
      'The secret is stored encrypted and is never shown again; you may delete the file.',
  );
}
