/**
 * The `docbridge` command line. Subcommands live in bin/commands/ (one module each); this file only
 * dispatches and turns every failure into one clear line on standard error and a non-zero exit code:
 * 1 for a failed conversion or I/O error, 2 for a mistake in the command line.
 */
import { ConversionError } from '../connectors/model/errors.ts';
import { convertUsage, runConvert } from './commands/convert.ts';
import { type CliIo, processIo, UsageError } from './commands/io.ts';

const commands: Record<string, (args: string[], io: CliIo) => Promise<void>> = {
  convert: runConvert,
};

const usage = `usage: docbridge <command> [options]
commands:
  convert IN OUT   convert a document between .docx .odt .md .html .json .gdoc.json

${convertUsage}`;

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    await io.writeStdout(new TextEncoder().encode(`${usage}\n`));
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    io.warn(`unknown command ${JSON.stringify(name)}; try docbridge --help`);
    return 2;
  }
  try {
    await command(rest, io);
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
  if (err instanceof ConversionError) return `error ${err.code}: ${err.message}`;
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
