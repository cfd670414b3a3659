/**
 * `docbridge credentials add <provider> ...`: the provider's suite (`connectors/suites.ts`) says which options
 * it takes and reads them locally (key or secret files, checked here, sent once to
 * `POST /api/credentials`). Secrets are never printed, not even in an error: a file that is not a valid key
 * is reported by what is wrong with it, never by its content.
 */
import { parseArgs } from 'node:util';
import { suiteFor, suites } from '../../connectors/suites.ts';
import { CredentialInputError } from '../../connectors/sync/suite.ts';
import { AdminCliError, adminClient, adminOptions, adminUsageNotes } from './adminClient.ts';
import { printResult } from './adminOutput.ts';
import { createdCredential } from './adminResponses.ts';
import { type CliIo, UsageError } from './io.ts';

/** Help text of `credentials add`: one usage per suite. */
export const credentialsAddUsage = `${suites.map((suite) => `usage: ${suite.cli.usage}`).join('\n')}
${adminUsageNotes}`;

/** Runs `credentials add`; prints the new credential's id and fingerprint. */
export async function runCredentialsAdd(args: string[], io: CliIo): Promise<void> {
  const [provider, ...rest] = args;
  const suite = provider === undefined ? undefined : suiteFor(provider);
  if (!suite)
    throw new UsageError(
      `credentials add takes the provider, ${suites.map((s) => s.provider).join(' or ')}${provider ? ` (not ${provider})` : ''}\n${credentialsAddUsage}`,
    );
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: { ...adminOptions, name: { type: 'string' }, ...suite.cli.options },
  });
  if (positionals.length > 0)
    throw new UsageError(`credentials add takes options only after the provider\n${credentialsAddUsage}`);
  const input = await suite.cli.body(values as Record<string, string | undefined>).catch((error: unknown) => {
    if (!(error instanceof CredentialInputError)) throw error;
    if (error.code === 'USAGE') throw new UsageError(`${error.message}\n${credentialsAddUsage}`);
    throw new AdminCliError(error.code, error.message);
  });
  const client = adminClient(values.server as string | undefined, io);
  const name = (values.name as string | undefined) ?? input.name;
  const created = await client.request('POST', '/api/credentials', createdCredential, {
    provider: suite.provider,
    name,
    ...input.body,
  });
  await printResult(
    io,
    values.json as boolean | undefined,
    created,
    () =>
      `Added ${suite.credential.owner} credential ${created.id} (${name}), fingerprint ${created.fingerprint}.\n` +
      'The key is stored encrypted and is never shown again; you may delete the key file.',
  );
}
