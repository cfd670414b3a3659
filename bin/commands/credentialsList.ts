/** `docbridge credentials list`: the tenant's credentials as the API shows them (metadata, never a secret). */
import { parseArgs } from 'node:util';
import { suiteFor, suites } from '../../connectors/suites.ts';
import { adminClient, adminOptions, adminUsageNotes } from './adminClient.ts';
import { formatTable, formatTime, oneLine, printResult } from './adminOutput.ts';
import { type CredentialInfo, credentialList } from './adminResponses.ts';
import { type CliIo, UsageError } from './io.ts';

/** Help text of `credentials list`. */
export const credentialsListUsage = `usage: docbridge credentials list [--json]
${adminUsageNotes}`;

/** The account a credential acts as, as its suite describes it (and whom it acts as), else its provider. */
export function credentialAccount(credential: CredentialInfo): string {
  const summary = suiteFor(credential.provider)?.credential.summary(credential.metadata);
  if (!summary) return credential.provider;
  const account = summary.account || summary.kind;
  return summary.actingAs ? `${account} as ${summary.actingAs}` : account;
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
