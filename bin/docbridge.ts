/**
 * The `docbridge` command line. Subcommands live in bin/commands/ (one module each, loaded only when run, so
 * an admin command does not pay for the converters); this file only dispatches and turns every failure into
 * one clear line on standard error and a non-zero exit code: 1 for a failed conversion, a refused API call or
 * an I/O error, 2 for a mistake in the command line.
 */

import { suites } from '../connectors/suites.ts';
import { refuseTokenArgument } from './commands/adminClient.ts';
import { type CliIo, processIo, UsageError } from './commands/io.ts';

type Command = (args: string[], io: CliIo) => Promise<void>;

const commands: Record<string, () => Promise<Command>> = {
  convert: async () => (await import('./commands/convert.ts')).runConvert,
  credentials: async () => (await import('./commands/credentials.ts')).runCredentials,
  link: async () => (await import('./commands/link.ts')).runLink,
  links: async () => (await import('./commands/links.ts')).runLinks,
  unlink: async () => (await import('./commands/unlink.ts')).runUnlink,
  resync: async () => (await import('./commands/resync.ts')).runResync,
  'word-addin': async () => (await import('./commands/wordAddin.ts')).runWordAddin,
};

/** Commands that talk to a server and so must never see a token on the command line. */
const adminCommands = new Set(['credentials', 'link', 'links', 'unlink', 'resync']);

const providers = suites.map((suite) => suite.provider).join('|');
const usage = `usage: docbridge <command> [options]
commands:
  convert IN OUT                        convert a document between .docx .odt .md .html .json .gdoc.json
  credentials add ${providers} ...      register a credential with the server (see credentials add --help)
  credentials list                      list the tenant's credentials (never their secrets)
  link DOC URL                          link a document to a remote file
  links DOC                             show a document's links and their sync status
  unlink LINK_ID                        remove a link
  resync LINK_ID                        restart a link's sync
  word-addin manifest --url URL ...     print the Word add-in's manifest for this server
Run docbridge <command> --help for a command's options. Admin commands talk to a running server
(--server URL, default DOCBRIDGE_URL or http://localhost:8080) with the admin token in DOCBRIDGE_TOKEN.
`;

/** Help of each command, loaded like the command itself. */
const helps: Record<string, () => Promise<string>> = {
  convert: async () => (await import('./commands/convert.ts')).convertUsage,
  credentials: async () => (await import('./commands/credentials.ts')).credentialsUsage,
  link: async () => (await import('./commands/link.ts')).linkUsage,
  links: async () => (await import('./commands/links.ts')).linksUsage,
  unlink: async () => (await import('./commands/unlink.ts')).unlinkUsage,
  resync: async () => (await import('./commands/resync.ts')).resyncUsage,
  'word-addin': async () => (await import('./commands/wordAddin.ts')).wordAddinUsage,
};

const isHelp = (arg: string | undefined) => arg === '--help' || arg === '-h' || arg === 'help';

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || isHelp(name)) {
    await io.writeStdout(new TextEncoder().encode(usage));
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (!load) {
    io.warn(`unknown command ${JSON.stringify(name)}; try docbridge --help`);
    return 2;
  }
  try {
    if (rest.some((arg) => arg === '--help' || arg === '-h')) {
      await io.writeStdout(new TextEncoder().encode(`${await helps[name]!()}\n`));
      return 0;
    }
    if (adminCommands.has(name)) refuseTokenArgument(rest);
    await (await load())(rest, io);
    return 0;
  } catch (err) {
    io.warn(describeFailure(err));
    return err instanceof UsageError || isArgsError(err) ? 2 : 1;
  }
}

function isArgsError(err: unknown): boolean {
  return (
    err instanceof TypeError && String((err as { code?: string }).code ?? '').startsWith('ERR_PARSE_ARGS')
  );
}

/** One line saying what went wrong, with the stable code when there is one. */
function describeFailure(err: unknown): string {
  if (err instanceof UsageError) return `error: ${err.message.split('\n')[0]}`;
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  const line = message.split('\n')[0] ?? '';
  if (typeof code !== 'string' || line.startsWith(code)) return `error: ${line}`;
  return `error ${code}: ${line}`;
}

const invokedDirectly = process.argv[1] !== undefined && /docbridge\.ts$/.test(process.argv[1]);
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`docbridge: error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
