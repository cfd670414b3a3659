/**
 * Opening and writing the OPC package (.docx). Opening is the shared safe unzipper (connectors/formats/safeZip:
 * refuses non-zips, truncation, `../` and absolute entries, zip bombs and oversized packages, with `DOCX_`
 * codes); writing is the same module's `writeZip`.
 */
import { openZip, writeZip, type ZipEntryInput } from '../../formats/safeZip.ts';

/** Package parts by name (no leading slash), in archive order. */
export type PackageParts = Map<string, Uint8Array>;

/** The parts of a package being read: looked up by name, inflated on first use; iterating yields them all. */
export type ReadParts = Pick<PackageParts, 'get' | 'has'> & Iterable<[string, Uint8Array]>;

/** Opens `bytes` as a package whose parts inflate when read; throws ConversionError (DOCX_NOT_A_ZIP,
 * INPUT_TRUNCATED, DOCX_TOO_LARGE, DOCX_ZIP_BOMB, DOCX_UNSAFE_PATH, DOCX_CORRUPT...). */
export function unzipPackage(bytes: Uint8Array): ReadParts {
  return openZip(bytes, { codePrefix: 'DOCX' });
}

/** Zips `parts` (already-compressed media stored as is). `[Content_Types].xml` goes first. */
export function zipPackage(parts: PackageParts): Uint8Array {
  const contentTypes = parts.get('[Content_Types].xml');
  const entries: ZipEntryInput[] = contentTypes ? [{ name: '[Content_Types].xml', bytes: contentTypes }] : [];
  for (const [name, bytes] of parts) {
    if (name === '[Content_Types].xml') continue;
    entries.push({ name, bytes, store: /\.(png|jpe?g|gif|zip|docx|xlsx|mp4|emf\.gz)$/i.test(name) });
  }
  return writeZip(entries);
}
