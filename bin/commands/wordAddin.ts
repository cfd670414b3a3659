/** `docbridge word-addin manifest`: the Word add-in's manifest for this server, for an M365 admin to upload. */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type CliIo, printText, UsageError } from './io.ts';
import { addinManifest, ManifestOptionError } from './wordAddinManifest.ts';

/** Help text of the word-addin command. */
export const wordAddinUsage = `usage: docbridge word-addin manifest --url URL --client-id GUID [options]
  --url URL            the Docbridge server's public https URL
  --client-id GUID     the add-in's Entra app registration (the Microsoft credential's addinClientId)
  --id GUID            the add-in's id (default: derived from --url, stable across regenerations)
  --app-domain URL     another domain the add-in navigates to (repeatable)
  --version A.B.C.D    the manifest version (default 1.0.0.0; raise it to roll out a change)
  --out FILE           write the manifest to FILE instead of standard output
See docs/word-addin.md for deploying it under Integrated apps.`;

/** Runs `word-addin manifest`. */
export async function runWordAddin(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      url: { type: 'string' },
      'client-id': { type: 'string' },
      id: { type: 'string' },
      'app-domain': { type: 'string', multiple: true },
      version: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (positionals.length !== 1 || positionals[0] !== 'manifest') {
    throw new UsageError(`word-addin takes the subcommand manifest\n${wordAddinUsage}`);
  }
  if (!values.url || !values['client-id']) {
    throw new UsageError(`word-addin manifest needs --url and --client-id\n${wordAddinUsage}`);
  }
  let xml: string;
  try {
    xml = addinManifest({
      url: values.url,
      clientId: values['client-id'],
      ...(values.id ? { id: values.id } : {}),
      ...(values['app-domain'] ? { appDomains: values['app-domain'] } : {}),
      ...(values.version ? { version: values.version } : {}),
    });
  } catch (error) {
    if (error instanceof ManifestOptionError) throw new UsageError(error.message);
    throw error;
  }
  if (values.out) {
    await writeFile(values.out, xml);
    io.warn(`wrote the Word add-in manifest to ${values.out}`);
  } else await printText(io, xml);
}
