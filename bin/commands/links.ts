/** `docbridge links DOC`: the links of one document, with their sync status and last error. */
import { parseArgs } from 'node:util';
import { adminClient, adminOptions, adminUsageNotes } from './adminClient.ts';
import { formatTable, formatTime, oneLine, printResult } from './adminOutput.ts';
import { linkList } from './adminResponses.ts';
import { type CliIo, UsageError } from './io.ts';

/** Help text of the links command. */
export const linksUsage = `usage: docbridge links DOC [--json]
  DOC            the document, <tenant>/<id>
${adminUsageNotes}`;

/** Runs the links command. */
export async function runLinks(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: adminOptions,
  });
  if (positionals.length !== 1) throw new UsageError(`links takes DOC\n${linksUsage}`);
  const doc = positionals[0] ?? '';
  const answer = await adminClient(values.server, io).request(
    'GET',
    `/api/links?doc=${encodeURIComponent(doc)}`,
    linkList,
  );
  await printResult(io, values.json, answer, () => {
    if (answer.links.length === 0) return `${doc} has no links. Add one with: docbridge link ${doc} URL`;
    return formatTable(
      ['ID', 'STATUS', 'PROVIDER', 'REMOTE', 'CREDENTIAL', 'LAST SYNCED', 'LAST ERROR'],
      answer.links.map((link) => [
        link.id,
        link.status,
        link.provider,
        link.remoteUrl ?? link.remoteId,
        link.credentialId,
        formatTime(link.lastSyncedAt),
        oneLine(link.lastError),
      ]),
    );
  });
}
