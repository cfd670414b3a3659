/** `docbridge credentials list`: the tenant's credentials as the API shows them (metadata, never a secret). */
import { parseArgs } from 'node:util';
import { suites } from '../../connectors/suites.ts';
import { adminClient, adminOptions, adminUsageNotes } from './adminClient.ts';
import { formatTable, formatTime, oneLine, printResult } from './adminOutput.ts';
import { type CredentialInfo, credentialList } from './adminResponses.ts';
import { type CliIo, UsageError } from './io.ts';

/** Help text of `credentials list`. */
export const credentialsListUsage = `usage: docbridge credentials list [--json]
${adminUsageNotes}`;

/** The account a credential acts as: a service account's e-mail (and subject), else its kind. */
export function credentialAccount(credential: CredentialInfo): string {
  const { clientEmail, subject, kind } = credential.metadata;
  const account = typeof clientEmail === 'string' ? clientEmail : typeof kind === 'string' ? kind : '';
  return typeof subject === 'string' ? `${account} as ${subject}` : account;
}

/** Runs `credentials list`. */
export async function runCredentialsList(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: adminOptions,
  });
  if (positionals.length > 0)
    throw new UsageError(`credentials list takes no arguments\n${credentialsListUsage}`);
  const answer = await adminClient(values.server, io).request('GET', '/api/credentials', credentialList);
  await printResult(io, values.json, answer, () => {
    if (answer.credentials.length === 0)
      return `No credentials in this tenant. Add one with: ${suites.map((s) => s.credential.addCommand).join(' or ')}`;
    return formatTable(
      ['ID', 'PROVIDER', 'NAME', 'ACCOUNT', 'FINGERPRINT', 'VERIFIED', 'LAST ERROR'],
      answer.credentials.map((credential) => [
        credential.id,
        credential.provider,
        credential.name,
        credentialAccount(credential),
        credential.fingerprint,
        formatTime(credential.verifiedAt),
        oneLine(credential.lastError),
      ]),
    );
  });
}
