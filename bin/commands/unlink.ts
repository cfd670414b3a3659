/** `docbridge unlink LINK_ID`: stops a link's sync and deletes it; both documents keep their content. */
import { parseArgs } from 'node:util';
import { adminClient, adminOptions, adminUsageNotes } from './adminClient.ts';
import { printResult } from './adminOutput.ts';
import { okAnswer } from './adminResponses.ts';
import { type CliIo, UsageError } from './io.ts';

/** Help text of the unlink command. */
export const unlinkUsage = `usage: docbridge unlink LINK_ID [--json]
  LINK_ID        a link's id, as docbridge links DOC shows it
${adminUsageNotes}`;

/** Runs the unlink command. */
export async function runUnlink(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: adminOptions,
  });
  if (positionals.length !== 1) throw new UsageError(`unlink takes LINK_ID\n${unlinkUsage}`);
  const id = positionals[0] ?? '';
  const answer = await adminClient(values.server, io).request(
    'DELETE',
    `/api/links/${encodeURIComponent(id)}`,
    okAnswer,
  );
  await printResult(
    io,
    values.json,
    answer,
    () => `Removed link ${id}. Both documents keep their content; they no longer sync.`,
  );
}
