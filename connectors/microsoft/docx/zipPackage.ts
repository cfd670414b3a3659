/**
 * Opening and writing the OPC package (.docx). Opening is the shared safe unzipper (connectors/formats/safeZip:
 * refuses non-zips, truncation, `../` and absolute entries, zip bombs and oversized packages, with `DOCX_`
 * codes); writing uses fflate directly.
 */
import { type Zippable, zipSync } from 'fflate';
import { openZip } from '../../formats/safeZip.ts';

/** Package parts by name (no leading slash), in archive order. */
export type PackageParts = Map<string, Uint8Array>;

/** The parts of a package being read: looked up by name, inflated on first use; iterating yields them all. */
export type ReadParts = Pick<PackageParts, 'get' | 'has'> & Iterable<[string, Uint8Array]>;

/** Opens `bytes` as a package whose parts inflate when read; throws ConversionError (DOCX_NOT_A_ZIP,
 * INPUT_TRUNCATED, DOCX_TOO_LARGE, DOCX_ZIP_BOMB, DOCX_UNSAFE_PATH, DOCX_CORRUPT...). */
export function unzipPackage(bytes: Uint8Array): ReadParts {
  return openZip(bytes, { codePrefix: 'DOCX' });
}

/** Zips `parts` (deflate level 6; already-compressed media stored as is). `[Content_Types].xml` goes first. */
export function zipPackage(parts: PackageParts): Uint8Array {
  const input: Zippable = {};
  const ct = parts.get('[Content_Types].xml');
  if (ct) input['[Content_Types].xml'] = ct;
  for (const [name, data] of parts) {
    if (name === '[Content_Types].xml') continue;
    const stored = /\.(png|jpe?g|gif|zip|docx|xlsx|mp4|emf\.gz)$/i.test(name);
    input[name] = stored ? [data, { level: 0 }] : data;
  }
  return zipSync(input, { level: 6, mtime: new Date('2000-01-01T00:00:00Z') });
}
