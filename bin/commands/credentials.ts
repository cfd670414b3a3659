/** `docbridge credentials add|list`: dispatches to the subcommand's own module. */
import { credentialsAddUsage, runCredentialsAdd } from './credentialsAdd.ts';
import { credentialsListUsage, runCredentialsList } from './credentialsList.ts';
import { type CliIo, UsageError } from './io.ts';

/** Help text of the credentials command. */
export const credentialsUsage = `${credentialsAddUsage}\n${credentialsListUsage}`;

/** Runs `credentials add ...` or `credentials list ...`. */
export async function runCredentials(args: string[], io: CliIo): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === 'add') return runCredentialsAdd(rest, io);
  if (sub === 'list') return runCredentialsList(rest, io);
  throw new UsageError(
    `${sub === undefined ? 'credentials needs a subcommand' : `unknown credentials subcommand ${JSON.stringify(sub)}`}: add or list\n${credentialsUsage}`,
  );
}
