/**
 * `docbridge convert IN OUT`: reads IN in the format its extension names (or `--from` when IN is `-`,
 * standard input), writes OUT likewise (`--to` when OUT is `-`, standard output). Warnings go to standard
 * error, one line each, unless `--quiet`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { JSONContent } from '@tiptap/core';
import { originalLossWarnings, writeOverOriginal } from '../../connectors/formats/originalPackage.ts';
import { isPackageFormat } from '../../connectors/formats/packageFormat.ts';
import { codecs, type FormatName, formatFromName, formatFromPath, formatNames } from './formats.ts';
import { type CliIo, UsageError } from './io.ts';

/** Help text of the convert subcommand. */
export const convertUsage = `usage: docbridge convert IN OUT [--from FORMAT] [--to FORMAT] [--base ORIGINAL] [--quiet]
  IN and OUT are file paths; their extension names the format (.docx .odt .md .html .json .gdoc.json).
  Use - for standard input or output, with --from / --to naming the format (${formatNames.join(', ')}).
  --base ORIGINAL (.docx or .odt): write OUT over that original package, keeping what the document does not
  model (notes, comments, headers, footers, styles, settings) and unchanged paragraphs byte for byte; for
  another output format, warn about what the original holds that OUT cannot.`;

function pickFormat(file: string, flag: string | undefined, option: string): FormatName {
  if (flag !== undefined) {
    const named = formatFromName(flag);
    if (!named)
      throw new UsageError(`unknown format for ${option}: ${flag} (known: ${formatNames.join(', ')})`);
    return named;
  }
  if (file === '-')
    throw new UsageError(
      `${option} is required when using - for ${option === '--from' ? 'input' : 'output'}`,
    );
  const byExtension = formatFromPath(file);
  if (!byExtension)
    throw new UsageError(`cannot tell the format of ${file} from its extension; use ${option}`);
  return byExtension;
}

/** Writes `doc` as `to` over the original package at `basePath` (or beside it, with loss warnings). */
function writeOver(doc: JSONContent, to: FormatName, basePath: string) {
  const format = formatFromPath(basePath);
  if (!format || !isPackageFormat(format))
    throw new UsageError(`--base must be a .docx or .odt file: ${basePath}`);
  const original = new Uint8Array(readFileSync(basePath));
  if (to === format) return writeOverOriginal(format, doc, original);
  const written = codecs[to].write(doc);
  return { ...written, warnings: [...written.warnings, ...originalLossWarnings(format, original, to)] };
}

/** Runs the convert subcommand; throws UsageError or ConversionError, which the entry point reports. */
export async function runConvert(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      base: { type: 'string' },
    },
  });
  if (positionals.length !== 2) throw new UsageError(`convert takes IN and OUT\n${convertUsage}`);
  const [input = '', output = ''] = positionals;
  const from = pickFormat(input, values.from, '--from');
  const to = pickFormat(output, values.to, '--to');
  const bytes = input === '-' ? await io.readStdin() : new Uint8Array(readFileSync(input));
  const read = codecs[from].read(bytes);
  const written =
    values.base === undefined ? codecs[to].write(read.doc) : writeOver(read.doc, to, values.base);
  if (output === '-') await io.writeStdout(written.bytes);
  else writeFileSync(output, written.bytes);
  if (!values.quiet) {
    for (const warning of [...read.warnings, ...written.warnings])
      io.warn(`warning ${warning.code}: ${warning.message}`);
  }
}
