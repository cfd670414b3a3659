/**
 * `docbridge link DOC URL`: links a document of the admin's tenant to a Google Doc through `POST /api/links`.
 * Without `--credential`, the tenant's only Google credential is used; with none or several, the command
 * stops and lists them rather than guess.
 */
import { parseArgs } from 'node:util';
import {
  AdminCliError,
  type AdminClient,
  adminClient,
  adminOptions,
  adminUsageNotes,
} from './adminClient.ts';
import { printResult } from './adminOutput.ts';
import { createdLink, credentialList } from './adminResponses.ts';
import { credentialAccount } from './credentialsList.ts';
import { type CliIo, UsageError } from './io.ts';

/** Help text of the link command. */
export const linkUsage = `usage: docbridge link DOC URL [--credential ID] [--initial remote|local|merge] [--json]
  DOC                  the document, <tenant>/<id>
  URL                  the Google Doc's address (or its file id); it is parsed, never fetched
  --credential ID      the Google credential to sync with (default: the tenant's only one)
  --initial MODE       when both sides hold content, which wins: remote, local or merge (keeps both)
${adminUsageNotes}`;

const initialModes = ['remote', 'local', 'merge'] as const;

/**
 * The credential to link with: `explicit` when given, else the tenant's only Google credential. Throws
 * AdminCliError `CREDENTIAL_REQUIRED` naming every candidate when there is not exactly one.
 */
export async function chooseCredential(client: AdminClient, explicit: string | undefined): Promise<string> {
  if (explicit) return explicit;
  const { credentials } = await client.request('GET', '/api/credentials', credentialList);
  const google = credentials.filter((credential) => credential.provider === 'google');
  if (google.length === 1) return google[0]!.id;
  if (google.length === 0)
    throw new AdminCliError(
      'CREDENTIAL_REQUIRED',
      'this tenant has no Google credential: add one with docbridge credentials add google --key-file FILE',
    );
  const choices = google
    .map((credential) => `${credential.id} (${credential.name}, ${credentialAccount(credential)})`)
    .join('; ');
  throw new AdminCliError(
    'CREDENTIAL_REQUIRED',
    `this tenant has ${google.length} Google credentials, choose one with --credential: ${choices}`,
  );
}

/** Runs the link command; prints the new link's id and status. */
export async function runLink(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { ...adminOptions, credential: { type: 'string' }, initial: { type: 'string' } },
  });
  if (positionals.length !== 2) throw new UsageError(`link takes DOC and URL\n${linkUsage}`);
  const [doc = '', remote = ''] = positionals;
  const initial = values.initial;
  if (initial !== undefined && !(initialModes as readonly string[]).includes(initial))
    throw new UsageError(`--initial must be remote, local or merge, not ${JSON.stringify(initial)}`);
  const client = adminClient(values.server, io);
  const credential = await chooseCredential(client, values.credential);
  const isUrl = /^https?:\/\//i.test(remote);
  const created = await client.request('POST', '/api/links', createdLink, {
    doc,
    credential,
    ...(isUrl ? { url: remote } : { fileId: remote }),
    ...(initial ? { initial } : {}),
  });
  await printResult(
    io,
    values.json,
    { ...created, doc, credential },
    () =>
      `Linked ${doc} to ${remote} as link ${created.id} (status ${created.status}, credential ${credential}).\n` +
      `Follow it with: docbridge links ${doc}`,
  );
}
