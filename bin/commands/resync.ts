/** `docbridge resync LINK_ID`: restarts a link's sync now (also the way out of quarantine once fixed). */
import { parseArgs } from 'node:util';
import { adminClient, adminOptions, adminUsageNotes } from './adminClient.ts';
import { printResult } from './adminOutput.ts';
import { okAnswer } from './adminResponses.ts';
import { type CliIo, UsageError } from './io.ts';

/** Help text of the resync command. */
export const resyncUsage = `usage: docbridge resync LINK_ID [--json]
  LINK_ID        a link's id, as docbridge links DOC shows it
${adminUsageNotes}`;

/** Runs the resync command. */
export async function runResync(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: adminOptions,
  });
  if (positionals.length !== 1) throw new UsageError(`resync takes LINK_ID\n${resyncUsage}`);
  const id = positionals[0] ?? '';
  const answer = await adminClient(values.server, io).request(
    'POST',
    `/api/links/${encodeURIComponent(id)}/resync`,
    okAnswer,
  );
  await printResult(
    io,
    values.json,
    answer,
    () => `Resync of link ${id} requested: it shows status linking until its next sync completes.`,
  );
}
