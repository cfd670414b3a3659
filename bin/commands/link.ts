/**
 * `docbridge link DOC URL`: links a document of the admin's tenant to a remote file of any suite in
 * `connectors/suites.ts` through `POST /api/links`. Without `--credential`, the tenant's only credential of
 * that suite is used; with none or several, the command stops and lists them rather than guess.
 */
import { parseArgs } from 'node:util';
import { suites } from '../../connectors/suites.ts';
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
  URL                  the remote file's address (or its file id); it is parsed, never fetched
  --credential ID      the credential to sync with (default: the tenant's only one of that suite)
  --initial MODE       when both sides hold content, which wins: remote, local or merge (keeps both)
${adminUsageNotes}`;

const initialModes = ['remote', 'local', 'merge'] as const;

/**
 * The credential to link `remote` with: `explicit` when given, else the tenant's only credential of the suite
 * whose addresses `remote` is (`connectors/suites.ts`). Throws AdminCliError `CREDENTIAL_REQUIRED` naming
 * every candidate when there is not exactly one.
 */
export async function chooseCredential(
  client: AdminClient,
  explicit: string | undefined,
  remote: string,
): Promise<string> {
  if (explicit) return explicit;
  // An address no suite recognises is left for the server to refuse with its reason.
  const parsing = suites.filter((suite) => suite.parseUrl(remote) !== null);
  const matching = parsing.length > 0 ? parsing : suites;
  const { credentials } = await client.request('GET', '/api/credentials', credentialList);
  const candidates = credentials.filter((credential) =>
    matching.some((suite) => suite.provider === credential.provider),
  );
  if (candidates.length === 1) return candidates[0]!.id;
  // Whose credentials they are, when that is one suite: the address's, or else the candidates' own.
  const owners = new Set(
    (candidates.length > 0
      ? matching.filter((suite) => candidates.some((c) => c.provider === suite.provider))
      : matching
    ).map((suite) => suite.credential.owner),
  );
  const owner = owners.size === 1 ? `${[...owners][0]} ` : '';
  if (candidates.length === 0) {
    const add = matching.map((suite) => suite.credential.addCommand).join(' or ');
    throw new AdminCliError(
      'CREDENTIAL_REQUIRED',
      `this tenant has no ${owner}credential${add ? `: add one with ${add}` : ` for ${remote}`}`,
    );
  }
  const choices = candidates
    .map((credential) => `${credential.id} (${credential.name}, ${credentialAccount(credential)})`)
    .join('; ');
  throw new AdminCliError(
    'CREDENTIAL_REQUIRED',
    `this tenant has ${candidates.length} ${owner}credentials, choose one with --credential: ${choices}`,
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
  const credential = await chooseCredential(client, values.credential, remote);
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
